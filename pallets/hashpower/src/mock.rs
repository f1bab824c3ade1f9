//! Test runtime: System, Balances, identity and the hashpower pallet, with sr25519 accounts (the
//! scheduler keys sign payloads); root governs; a window is 10 blocks of 6 s.
use crate as pallet_hashpower;
use computility_primitives::Role;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_core::{sr25519, H256};
use sp_runtime::{
	traits::{IdentityLookup, Verify},
	BuildStorage,
};

pub type AccountId = sr25519::Public;
type Block = frame_system::mocking::MockBlock<Test>;
pub type Extrinsic = sp_runtime::generic::UncheckedExtrinsic<AccountId, RuntimeCall, (), ()>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Identity: pallet_consortium_identity,
		Hashpower: pallet_hashpower,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
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
}

impl pallet_consortium_identity::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type RegistrationDeposit = Deposit;
	type MaxNameLen = ConstU32<16>;
	type MaxModelLen = ConstU32<16>;
	type MaxResourcesPerOwner = ConstU32<4>;
	type Exemptions = pallet_consortium_identity::extension::NoExemptions;
	type MaxJoiningTxs = ConstU32<1>;
	type Usage = ();
	type WeightInfo = ();
}

impl frame_system::offchain::SigningTypes for Test {
	type Public = <sr25519::Signature as Verify>::Signer;
	type Signature = sr25519::Signature;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<C> frame_system::offchain::CreateBare<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> Extrinsic {
		Extrinsic::new_bare(call)
	}
}

parameter_types! {
	pub static Commissions: Vec<(AccountId, u128)> = Vec::new();
}

/// Records what commission was asked to charge (the provider keeps everything here).
pub struct RecordCommission;
impl computility_primitives::Commission<AccountId, u128> for RecordCommission {
	fn charge(
		e: &computility_primitives::Earning<AccountId, u128>,
	) -> Result<computility_primitives::CommissionLines<AccountId, u128>, sp_runtime::DispatchError>
	{
		Commissions::mutate(|c| c.push((e.provider, e.pay)));
		<() as computility_primitives::Commission<AccountId, u128>>::charge(e)
	}
}

impl pallet_hashpower::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Identity = Identity;
	type Commission = RecordCommission;
	type AuthorityId = crate::crypto::SchedulerId;
	type MaxShares = ConstU32<8>;
	type MaxMiners = ConstU32<3>;
	type MaxQueue = ConstU32<4>;
	type WindowBlocks = ConstU64<10>;
	type BlockMillis = ConstU64<6000>;
	type MinDeliveryPercent = ConstU32<50>;
	type UnsignedPriority = ConstU64<{ 1 << 20 }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}
use frame_support::traits::ConstU64;

pub fn account(n: u8) -> AccountId {
	sr25519::Public::from_raw([n; 32])
}
pub fn hub() -> AccountId {
	account(1)
}
pub fn provider() -> AccountId {
	account(2)
}
pub fn provider2() -> AccountId {
	account(3)
}
pub fn buyer() -> AccountId {
	account(4)
}
pub fn buyer2() -> AccountId {
	account(5)
}
pub fn outsider() -> AccountId {
	account(6)
}

/// Register and approve `who` with `role` under the hub.
pub fn member(who: AccountId, role: Role) {
	let h = if role == Role::HubOperator { None } else { Some(hub()) };
	Identity::register(
		RuntimeOrigin::signed(who),
		role,
		b"m".to_vec().try_into().unwrap(),
		H256::zero(),
		h,
	)
	.unwrap();
	Identity::approve(RuntimeOrigin::root(), who).unwrap();
}

#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, AccountId, sr25519::Signature> for Helper {
	fn member(who: &AccountId, role: Role) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, 1u128 << 90);
		if !pallet_consortium_identity::Participants::<Test>::contains_key(hub()) {
			member(hub(), Role::HubOperator);
		}
		if !pallet_consortium_identity::Participants::<Test>::contains_key(who) {
			member(*who, role);
		}
	}
	fn scheduler() -> AccountId {
		sp_io::crypto::sr25519_generate(crate::KEY_TYPE, Some(b"//Scheduler".to_vec()))
	}
	fn sign(public: &AccountId, message: &[u8]) -> sr25519::Signature {
		sp_io::crypto::sr25519_sign(crate::KEY_TYPE, public, message).expect("key in the keystore")
	}
}

/// Accounts 1..=6 hold 10^12; the hub, two providers and two buyers approved.
pub fn new_test_ext(parties: bool) -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=6u8).map(|a| (account(a), 1_000_000_000_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext: sp_io::TestExternalities = t.into();
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		System::set_block_number(1);
		if parties {
			member(hub(), Role::HubOperator);
			member(provider(), Role::Provider);
			member(provider2(), Role::Provider);
			member(buyer(), Role::Buyer);
			member(buyer2(), Role::Buyer);
			System::reset_events();
		}
	});
	ext
}

/// Run a test, then check the invariants and that no balance was created or lost.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext(true).execute_with(|| {
		let issuance = pallet_balances::TotalIssuance::<Test>::get();
		test();
		Hashpower::do_try_state().expect("hashpower try_state");
		Identity::do_try_state().expect("identity try_state");
		assert_eq!(pallet_balances::TotalIssuance::<Test>::get(), issuance, "issuance changed");
	});
}

/// Advance to block `n`, running `on_initialize` on the way.
pub fn run_to(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let b = System::block_number() + 1;
		System::set_block_number(b);
		Hashpower::on_initialize(b);
	}
}
