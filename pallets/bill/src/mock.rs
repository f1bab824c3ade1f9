//! Test runtime: the whole market (identity, agreements with billing, order book, commission,
//! bills); root governs; an hour is 10 blocks, a settlement period 4, the window 6.
use crate as pallet_bill;
use computility_primitives::{AgreementId, ResourceKind, Role, SlaTerms};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU32, Hooks},
	PalletId,
};
use frame_system::EnsureRoot;
use pallet_order::{BidTerms, Priority};
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
		Commission: pallet_commission,
		Bill: pallet_bill,
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
	pub const CommissionPalletId: PalletId = PalletId(*b"cty/comm");
	pub const Window: u64 = 6;
	pub const PenaltyPpm: u32 = 100_000;
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
	type MaxAgreementsPerAccount = ConstU32<16>;
	type PeriodBlocks = pallet_bill::CurrentPeriod<Test>;
	type Metered = ConstBool<true>;
	type OnEnded = (Commission, Bill);
	type WeightInfo = ();
}

impl pallet_order::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Identity = Identity;
	type Agreements = Agreement;
	type Scores = Commission;
	type MaxScan = ConstU32<8>;
	type MaxSkip = ConstU32<8>;
	type MaxFills = ConstU32<3>;
	type MaxAsksPerAccount = ConstU32<6>;
	type MaxBidsPerAccount = ConstU32<4>;
	type MaxHours = ConstU32<100>;
	type MaxOrderLife = MaxOrderLife;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = OrderHelper;
}

impl pallet_commission::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Identity = Identity;
	type GovernanceOrigin = EnsureRoot<u64>;
	type PalletId = CommissionPalletId;
	type MaxEraProviders = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

impl pallet_bill::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Identity = Identity;
	type Commission = Commission;
	type GovernanceOrigin = EnsureRoot<u64>;
	type Window = Window;
	type PenaltyPpm = PenaltyPpm;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

pub const HUB_A: u64 = 1;
pub const HUB_B: u64 = 2;
pub const P1: u64 = 3;
pub const P2: u64 = 4;
pub const BUYER: u64 = 5;
pub const BUYER2: u64 = 6;
pub const MONITOR: u64 = 7;
pub const MONITOR2: u64 = 8;
pub const RESELLER: u64 = 9;
pub const OUTSIDER: u64 = 10;
pub const ACCOUNTS: u64 = 10;

/// 10 % platform, 2 % each hub, 3 % reseller, 5 % pool.
pub fn rates() -> pallet_commission::CommissionRates {
	pallet_commission::CommissionRates {
		platform_ppm: 100_000,
		provider_hub_ppm: 20_000,
		buyer_hub_ppm: 20_000,
		reseller_ppm: 30_000,
		reward_pool_ppm: 50_000,
	}
}

/// Register and approve `who` with `role` under `hub`.
pub fn member(who: u64, role: Role, hub: Option<u64>) {
	Identity::register(
		RuntimeOrigin::signed(who),
		role,
		b"m".to_vec().try_into().unwrap(),
		H256::zero(),
		hub,
	)
	.unwrap();
	Identity::approve(RuntimeOrigin::root(), who).unwrap();
}

fn ensure_member(who: u64, role: Role) {
	use frame_support::traits::fungible::Mutate;
	if !pallet_consortium_identity::Participants::<Test>::contains_key(HUB_A) {
		let _ = Balances::mint_into(&HUB_A, 1_000);
		member(HUB_A, Role::HubOperator, None);
	}
	let _ = Balances::mint_into(&who, 1u128 << 80);
	if !pallet_consortium_identity::Participants::<Test>::contains_key(who) {
		member(who, role, Some(HUB_A));
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for Helper {
	fn member(who: &u64, role: Role) {
		ensure_member(*who, role);
	}
	fn refer(buyer: &u64, reseller: &u64) {
		let _ = Commission::set_reseller(RuntimeOrigin::signed(*buyer), Some(*reseller));
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl pallet_commission::BenchmarkHelper<u64> for Helper {
	fn member(who: &u64, role: Role) {
		ensure_member(*who, role);
	}
}
#[cfg(feature = "runtime-benchmarks")]
pub struct OrderHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_order::BenchmarkHelper<u64> for OrderHelper {
	fn provider(who: &u64, kind: ResourceKind, quantity: u32, performance: u32) -> u64 {
		ensure_member(*who, Role::Provider);
		resource(*who, kind, quantity, performance)
	}
	fn buyer(who: &u64) {
		ensure_member(*who, Role::Buyer);
	}
	fn crowd(who: &u64, room: u32) {
		pallet_agreement::Pallet::<Test>::crowd_for_benchmarks(who, room);
	}
}

/// Register a resource for `who`.
pub fn resource(who: u64, kind: ResourceKind, quantity: u32, performance: u32) -> u64 {
	let id = pallet_consortium_identity::NextResourceId::<Test>::get();
	let spec = pallet_consortium_identity::ResourceSpec {
		quantity,
		performance,
		region: *b"CN-GD\0\0\0",
		green_percent: 50,
		security_level: 2,
	};
	Identity::register_resource(
		RuntimeOrigin::signed(who),
		kind,
		b"gpu".to_vec().try_into().unwrap(),
		spec,
	)
	.unwrap();
	id
}

/// The SLA the tests' bids ask for: 99 % availability, 50 ms latency.
pub fn sla() -> SlaTerms {
	SlaTerms { availability_permille: 990, max_latency_ms: 50, min_throughput: 0 }
}

/// `provider` offers `quantity` GPUs at `price` per GPU-hour; `buyer` leases them all for
/// `hours`: the agreement made by the order book.
pub fn lease(provider: u64, buyer: u64, quantity: u32, price: u128, hours: u32) -> AgreementId {
	let r = resource(provider, ResourceKind::Gpu, quantity, 100);
	Order::place_ask(RuntimeOrigin::signed(provider), r, quantity, price, 1, 10, 0b10, sla(), 500)
		.unwrap();
	let id = pallet_agreement::NextAgreementId::<Test>::get();
	let terms = BidTerms {
		kind: ResourceKind::Gpu,
		quantity,
		min_performance: 0,
		region: None,
		max_unit_price: price,
		hours,
		task_kind: 1,
		task_hash: [7u8; 32],
		sla: sla(),
		priority: Priority::PriceFirst,
	};
	Order::place_bid(RuntimeOrigin::signed(buyer), terms, 500).unwrap();
	assert!(pallet_agreement::Agreements::<Test>::contains_key(id), "the bid matched");
	id
}

/// Accounts 1..=10 hold 10^9; hubs A (providers, monitors) and B (buyers, reseller).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=ACCOUNTS).map(|a| (a, 1_000_000_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_commission::GenesisConfig::<Test> {
		rates: rates(),
		weights: Default::default(),
		era_blocks: 50,
		_phantom: Default::default(),
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_bill::GenesisConfig::<Test> { period_blocks: 4, _phantom: Default::default() }
		.assimilate_storage(&mut t)
		.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| {
		System::set_block_number(1);
		member(HUB_A, Role::HubOperator, None);
		member(HUB_B, Role::HubOperator, None);
		member(P1, Role::Provider, Some(HUB_A));
		member(P2, Role::Provider, Some(HUB_A));
		member(BUYER, Role::Buyer, Some(HUB_B));
		member(BUYER2, Role::Buyer, Some(HUB_B));
		member(MONITOR, Role::Monitor, Some(HUB_A));
		member(MONITOR2, Role::Monitor, Some(HUB_A));
		member(RESELLER, Role::Reseller, Some(HUB_B));
		System::reset_events();
	});
	ext
}

/// Every account's balance, the commission pot's included.
pub fn all_balances() -> u128 {
	use frame_support::traits::fungible::Inspect;
	(1..=ACCOUNTS).map(|a| Balances::total_balance(&a)).sum::<u128>()
		+ Balances::total_balance(&Commission::pot())
}

/// Every pallet's invariants, and every unit accounted for.
pub fn check_all() {
	Bill::do_try_state().expect("bill try_state");
	Commission::do_try_state().expect("commission try_state");
	Agreement::do_try_state().expect("agreement try_state");
	Order::do_try_state().expect("order try_state");
	Identity::do_try_state().expect("identity try_state");
	assert_eq!(
		all_balances(),
		pallet_balances::TotalIssuance::<Test>::get(),
		"balances do not add up"
	);
}

/// Run a test, then check every invariant and that the issuance did not change.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		test();
		check_all();
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "issuance changed");
	});
}

/// Advance to block `n`, running `on_initialize` of the commission pallet on the way.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let b = System::block_number() + 1;
		System::set_block_number(b);
		Commission::on_initialize(b);
	}
}
