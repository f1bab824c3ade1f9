//! Test runtime: System, Balances and the agreement pallet; root governs; an hour is 10 blocks.
use crate as pallet_agreement;
use frame_support::{derive_impl, parameter_types};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Agreement: pallet_agreement,
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
	pub const BlocksPerHour: u64 = 10;
}

impl pallet_agreement::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<u64>;
	type BlocksPerHour = BlocksPerHour;
	type MaxAgreementsPerAccount = frame_support::traits::ConstU32<4>;
	type PeriodBlocks = frame_support::traits::ConstU64<5>;
	type Metered = Metered;
	type OnEnded = Ended;
	type WeightInfo = ();
}

frame_support::parameter_types! {
	/// Whether the tests run with billing (metered agreements).
	pub static Metered: bool = false;
	/// What `OnEnded` was told: (provider, completed, served, planned).
	pub static EndedLog: Vec<(u64, bool, u64, u64)> = Vec::new();
}

pub struct Ended;
impl computility_primitives::AgreementEnded<u64> for Ended {
	fn ended(_id: u64, provider: &u64, completed: bool, served: u64, planned: u64) {
		EndedLog::mutate(|l| l.push((*provider, completed, served, planned)));
	}
}

pub const BUYER: u64 = 1;
pub const PROVIDER: u64 = 2;
pub const OTHER: u64 = 3;

/// Accounts 1..=4 hold 1_000_000.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=4).map(|a| (a, 1_000_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run a test, then check the invariants and that no balance was created or lost.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		test();
		Agreement::do_try_state().expect("try_state failed after test");
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "issuance changed");
		let total: u128 = (1..=4u64).map(|a| Balances::total_balance(&a)).sum();
		assert_eq!(total, issuance, "balances do not add up");
	});
}

use frame_support::traits::fungible::Inspect;
