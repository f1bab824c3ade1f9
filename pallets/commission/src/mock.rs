//! Test runtime: System, Balances, the real identity registry and the commission pallet; root
//! governs; an era is 10 blocks.
use crate as pallet_commission;
use computility_primitives::Role;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, PalletId};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Identity: pallet_consortium_identity,
		Commission: pallet_commission,
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
	type ExistentialDeposit = ExistentialDeposit;
}

parameter_types! {
	pub const Deposit: u128 = 10;
	pub const ExistentialDeposit: u128 = 5;
	pub const CommissionPalletId: PalletId = PalletId(*b"cty/comm");
}

impl pallet_consortium_identity::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<u64>;
	type RegistrationDeposit = Deposit;
	type MaxNameLen = ConstU32<16>;
	type MaxModelLen = ConstU32<16>;
	type MaxResourcesPerOwner = ConstU32<4>;
	type Exemptions = pallet_consortium_identity::extension::NoExemptions;
	type MaxJoiningTxs = ConstU32<1>;
	type Usage = ();
	type WeightInfo = ();
}

impl pallet_commission::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Identity = Identity;
	type GovernanceOrigin = EnsureRoot<u64>;
	type PalletId = CommissionPalletId;
	type MaxEraProviders = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

pub const HUB_A: u64 = 1;
pub const HUB_B: u64 = 2;
pub const P1: u64 = 3;
pub const P2: u64 = 4;
pub const BUYER: u64 = 5;
pub const RESELLER: u64 = 6;
pub const OUTSIDER: u64 = 7;
pub const P3: u64 = 8;
pub const P4: u64 = 9;
pub const P5: u64 = 10;
pub const ACCOUNTS: u64 = 10;

/// 10 % platform, 2 % each hub, 3 % reseller, 5 % pool.
pub fn rates() -> crate::CommissionRates {
	crate::CommissionRates {
		platform_ppm: 100_000,
		provider_hub_ppm: 20_000,
		buyer_hub_ppm: 20_000,
		reseller_ppm: 30_000,
		reward_pool_ppm: 50_000,
	}
}

/// 0.1 per GPU-period, 0.01 per CPU-period, 1.0 for availability and for SLA met.
pub fn weights() -> crate::ScoreWeights {
	let mut resource = [0i64; crate::KINDS];
	resource[0] = 10_000;
	resource[1] = 100_000;
	crate::ScoreWeights { resource, availability: 1_000_000, sla_met: 1_000_000 }
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

#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for Helper {
	fn member(who: &u64, role: Role) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, 1_000);
		if !pallet_consortium_identity::Participants::<Test>::contains_key(HUB_A) {
			let _ = Balances::mint_into(&HUB_A, 1_000);
			member(HUB_A, Role::HubOperator, None);
		}
		if !pallet_consortium_identity::Participants::<Test>::contains_key(who) {
			member(*who, role, Some(HUB_A));
		}
	}
}

/// Accounts 1..=10 hold 1_000_000; hubs A and B; P1, P2 (hub A), the buyer (hub B) and the
/// reseller (hub B) approved when `parties`.
pub fn new_test_ext(parties: bool) -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=ACCOUNTS).map(|a| (a, 1_000_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_commission::GenesisConfig::<Test> {
		rates: rates(),
		weights: weights(),
		era_blocks: 10,
		_phantom: Default::default(),
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| {
		System::set_block_number(1);
		if parties {
			member(HUB_A, Role::HubOperator, None);
			member(HUB_B, Role::HubOperator, None);
			for p in [P1, P2, P3, P4, P5] {
				member(p, Role::Provider, Some(HUB_A));
			}
			member(BUYER, Role::Buyer, Some(HUB_B));
			member(RESELLER, Role::Reseller, Some(HUB_B));
			System::reset_events();
		}
	});
	ext
}

/// Every account's balance, the pot's included.
pub fn all_balances() -> u128 {
	use frame_support::traits::fungible::Inspect;
	(1..=ACCOUNTS).map(|a| Balances::total_balance(&a)).sum::<u128>()
		+ Balances::total_balance(&Commission::pot())
}

/// Run a test, then check the invariants and that no balance was created or lost.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext(true).execute_with(|| {
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		test();
		Commission::do_try_state().expect("commission try_state");
		Identity::do_try_state().expect("identity try_state");
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "issuance changed");
		assert_eq!(all_balances(), issuance, "balances do not add up");
	});
}

/// Advance to block `n`, running the commission pallet's `on_initialize` on the way.
pub fn run_to(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let b = System::block_number() + 1;
		System::set_block_number(b);
		Commission::on_initialize(b);
	}
}
