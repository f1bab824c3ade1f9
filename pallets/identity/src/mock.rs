//! Test runtime: System, Balances and the identity pallet; root is the governance origin.
use crate as pallet_consortium_identity;
use crate::types::*;
use frame_support::{derive_impl, parameter_types, BoundedVec};
use frame_system::EnsureRoot;
use sp_core::H256;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Identity: pallet_consortium_identity,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub const Deposit: u64 = 100;
}

/// The council member of the tests (its `system.remark` counts as a governance call).
pub const COUNCILLOR: u64 = 7;

/// Joining: the identity pallet's own registration calls. Governance: the councillor's remarks.
pub struct TestExemptions;
impl crate::extension::Exemptions<u64, RuntimeCall> for TestExemptions {
	fn exemption(who: &u64, call: &RuntimeCall) -> Option<crate::extension::Exemption> {
		use crate::extension::Exemption;
		match call {
			RuntimeCall::Identity(
				crate::Call::register { .. }
				| crate::Call::update_profile { .. }
				| crate::Call::deregister {},
			) => Some(Exemption::Joining),
			RuntimeCall::System(frame_system::Call::remark { .. }) if *who == COUNCILLOR => {
				Some(Exemption::Governance)
			},
			_ => None,
		}
	}
}

impl pallet_consortium_identity::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<u64>;
	type RegistrationDeposit = Deposit;
	type MaxNameLen = frame_support::traits::ConstU32<16>;
	type MaxModelLen = frame_support::traits::ConstU32<16>;
	type MaxResourcesPerOwner = frame_support::traits::ConstU32<3>;
	type Exemptions = TestExemptions;
	type MaxJoiningTxs = frame_support::traits::ConstU32<2>;
	type Usage = ();
	type WeightInfo = ();
}

/// The hub operator every test starts with (approved).
pub const HUB: u64 = 1;
/// A provider, registered and approved under `HUB`.
pub const PROVIDER: u64 = 2;
/// A buyer, registered and approved under `HUB`.
pub const BUYER: u64 = 3;
/// A funded account that is not registered.
pub const OUTSIDER: u64 = 4;
/// An account without funds.
pub const PAUPER: u64 = 9;

pub fn name(s: &str) -> BoundedVec<u8, frame_support::traits::ConstU32<16>> {
	s.as_bytes().to_vec().try_into().unwrap()
}

pub fn model(s: &str) -> BoundedVec<u8, frame_support::traits::ConstU32<16>> {
	s.as_bytes().to_vec().try_into().unwrap()
}

pub fn region(s: &str) -> Region {
	let mut r = [0u8; 8];
	r[..s.len()].copy_from_slice(s.as_bytes());
	r
}

pub fn spec(quantity: u32, performance: u32, reg: &str) -> ResourceSpec {
	ResourceSpec {
		quantity,
		performance,
		region: region(reg),
		green_percent: 60,
		security_level: 3,
	}
}

/// Accounts 1..=8 hold 10_000; genesis is empty. `with_parties` registers and approves the hub,
/// a provider and a buyer.
pub fn new_test_ext(with_parties: bool) -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=8).map(|a| (a, 10_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.execute_with(|| {
		System::set_block_number(1);
		if with_parties {
			let root = RuntimeOrigin::root();
			Identity::register(
				RuntimeOrigin::signed(HUB),
				Role::HubOperator,
				name("hub"),
				H256::zero(),
				None,
			)
			.unwrap();
			Identity::approve(root.clone(), HUB).unwrap();
			Identity::register(
				RuntimeOrigin::signed(PROVIDER),
				Role::Provider,
				name("prov"),
				H256::zero(),
				Some(HUB),
			)
			.unwrap();
			Identity::approve(root.clone(), PROVIDER).unwrap();
			Identity::register(
				RuntimeOrigin::signed(BUYER),
				Role::Buyer,
				name("buyer"),
				H256::zero(),
				Some(HUB),
			)
			.unwrap();
			Identity::approve(root, BUYER).unwrap();
			System::reset_events();
		}
	});
	ext
}

/// Run a test, then check the pallet's invariants and that no balance was created or lost.
pub fn build_and_execute(with_parties: bool, test: impl FnOnce()) {
	new_test_ext(with_parties).execute_with(|| {
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		test();
		Identity::do_try_state().expect("try_state failed after test");
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "issuance changed");
	});
}
