//! Test runtime: System, Balances, the real identity and agreement pallets, and the order book.
use crate as pallet_order;
use computility_primitives::{ResourceId, ResourceKind, Role};
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use pallet_consortium_identity::ResourceSpec;
use sp_core::H256;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Identity: pallet_consortium_identity,
		Agreement: pallet_agreement,
		Order: pallet_order,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u128>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub const Deposit: u128 = 10;
	pub const BlocksPerHour: u64 = 10;
	pub const MaxOrderLife: u64 = 1_000;
}

impl pallet_consortium_identity::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<u64>;
	type RegistrationDeposit = Deposit;
	type MaxNameLen = ConstU32<16>;
	type MaxModelLen = ConstU32<16>;
	type MaxResourcesPerOwner = ConstU32<16>;
	type Exemptions = pallet_consortium_identity::extension::NoExemptions;
	type MaxJoiningTxs = ConstU32<1>;
	type Usage = Order;
	type WeightInfo = ();
}

impl pallet_agreement::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<u64>;
	type BlocksPerHour = BlocksPerHour;
	type MaxAgreementsPerAccount = ConstU32<12>;
	type PeriodBlocks = frame_support::traits::ConstU64<5>;
	type Metered = frame_support::traits::ConstBool<false>;
	type OnEnded = ();
	type WeightInfo = ();
}

impl pallet_order::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Identity = Identity;
	type Agreements = Agreement;
	type Scores = TestScores;
	type MaxScan = ConstU32<8>;
	type MaxSkip = ConstU32<72>;
	type MaxFills = ConstU32<3>;
	type MaxAsksPerAccount = ConstU32<80>;
	type MaxBidsPerAccount = ConstU32<4>;
	type MaxHours = ConstU32<100>;
	type MaxOrderLife = MaxOrderLife;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

thread_local! {
	static SCORES: core::cell::RefCell<Vec<(u64, i64)>> = core::cell::RefCell::new(Vec::new());
}

/// Contribution scores the tests set.
pub struct TestScores;
impl computility_primitives::ContributionScores<u64> for TestScores {
	fn score(p: &u64) -> i64 {
		SCORES.with(|s| s.borrow().iter().find(|(a, _)| a == p).map_or(0, |(_, v)| *v))
	}
}
pub fn set_score(p: u64, v: i64) {
	SCORES.with(|s| s.borrow_mut().push((p, v)));
}

pub const HUB: u64 = 1;
pub const P1: u64 = 2;
pub const P2: u64 = 3;
pub const P3: u64 = 4;
pub const BUYER: u64 = 5;
pub const BUYER2: u64 = 6;
pub const OUTSIDER: u64 = 7;
pub const ACCOUNTS: u64 = 8;

fn name(s: &str) -> frame_support::BoundedVec<u8, ConstU32<16>> {
	s.as_bytes().to_vec().try_into().unwrap()
}

pub fn region(s: &str) -> [u8; 8] {
	let mut r = [0u8; 8];
	r[..s.len()].copy_from_slice(s.as_bytes());
	r
}

/// Register and approve `who` with `role` under the hub.
pub fn member(who: u64, role: Role) {
	let hub = if role == Role::HubOperator { None } else { Some(HUB) };
	Identity::register(RuntimeOrigin::signed(who), role, name("m"), H256::zero(), hub).unwrap();
	Identity::approve(RuntimeOrigin::root(), who).unwrap();
}

/// Register a resource for `who`.
pub fn resource(
	who: u64,
	kind: ResourceKind,
	quantity: u32,
	performance: u32,
	reg: &str,
) -> ResourceId {
	let id = pallet_consortium_identity::NextResourceId::<Test>::get();
	let spec = ResourceSpec {
		quantity,
		performance,
		region: region(reg),
		green_percent: 50,
		security_level: 2,
	};
	Identity::register_resource(RuntimeOrigin::signed(who), kind, name("gpu"), spec).unwrap();
	id
}

#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for Helper {
	fn provider(who: &u64, kind: ResourceKind, quantity: u32, performance: u32) -> ResourceId {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, 1u128 << 100);
		if !pallet_consortium_identity::Participants::<Test>::contains_key(HUB) {
			let _ = Balances::mint_into(&HUB, 1_000);
			member(HUB, Role::HubOperator);
		}
		if !pallet_consortium_identity::Participants::<Test>::contains_key(who) {
			member(*who, Role::Provider);
		}
		resource(*who, kind, quantity, performance, "CN-GD")
	}
	fn buyer(who: &u64) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, 1u128 << 100);
		if !pallet_consortium_identity::Participants::<Test>::contains_key(HUB) {
			let _ = Balances::mint_into(&HUB, 1_000);
			member(HUB, Role::HubOperator);
		}
		member(*who, Role::Buyer);
	}
	fn crowd(who: &u64, room: u32) {
		pallet_agreement::Pallet::<Test>::crowd_for_benchmarks(who, room);
	}
}

/// Accounts 1..=7 hold 1_000_000; with `parties`, the hub, three providers and two buyers are
/// approved.
pub fn new_test_ext(parties: bool) -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..ACCOUNTS).map(|a| (a, 1_000_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| {
		System::set_block_number(1);
		if parties {
			member(HUB, Role::HubOperator);
			for p in [P1, P2, P3] {
				member(p, Role::Provider);
			}
			member(BUYER, Role::Buyer);
			member(BUYER2, Role::Buyer);
			System::reset_events();
		}
	});
	ext
}

/// Every pallet's invariants, and no balance created or lost.
pub fn check_all() {
	Order::do_try_state().expect("order try_state");
	Agreement::do_try_state().expect("agreement try_state");
	Identity::do_try_state().expect("identity try_state");
	let total: u128 = (1..=ACCOUNTS).map(|a| Balances::total_balance(&a)).sum();
	assert_eq!(total, pallet_balances::TotalIssuance::<Test>::get(), "balances do not add up");
}

/// Run a test, then check every invariant and that the issuance did not change.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext(true).execute_with(|| {
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		test();
		check_all();
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "issuance changed");
	});
}

use frame_support::traits::fungible::Inspect;
