//! A small runtime for the unit tests: System plus this pallet, with session keys modelled by a
//! set of registered accounts.
use crate as pallet_validator_set;
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::ValidatorRegistration};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		ValidatorSet: pallet_validator_set,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

thread_local! {
	static REGISTERED: RefCell<Vec<u64>> = RefCell::new(vec![1, 2, 3, 4, 5, 6]);
}

/// Accounts with session keys in the tests: 1..=6 unless a test registers more.
pub struct MockRegistration;
impl ValidatorRegistration<u64> for MockRegistration {
	fn is_registered(id: &u64) -> bool {
		REGISTERED.with(|r| r.borrow().contains(id))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockRegistration {
	fn register_session_keys(who: &u64) {
		REGISTERED.with(|r| r.borrow_mut().push(*who));
	}
}

parameter_types! {
	pub const MinValidators: u32 = 2;
	pub const MaxValidators: u32 = 5;
}

impl pallet_validator_set::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type GovernanceOrigin = EnsureRoot<u64>;
	type ValidatorRegistration = MockRegistration;
	type MinValidators = MinValidators;
	type MaxValidators = MaxValidators;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRegistration;
}

/// Genesis: validators 1, 2, 3.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_validator_set::GenesisConfig::<Test> { validators: vec![1, 2, 3] }
		.assimilate_storage(&mut t)
		.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run a test and check the pallet's invariants afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ValidatorSet::do_try_state().expect("try_state failed after test");
	});
}
