//! The pallets whose calls are benchmarked (`computility-node benchmark pallet`).
use crate::*;
pub use frame_benchmarking::baseline::Pallet as BaselineBench;
pub use frame_system_benchmarking::Pallet as SystemBench;

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_collective, Council]
	[pallet_membership, CouncilMembership]
	[pallet_validator_set, ValidatorSet]
	[pallet_consortium_identity, Identity]
	[pallet_agreement, Agreement]
	[pallet_order, Order]
	[pallet_commission, Commission]
	[pallet_bill, Bill]
	[pallet_hashpower, Hashpower]
);

/// Registers real session keys (with their ownership proof) for a benchmark account.
pub struct SessionKeysHelper;
impl pallet_validator_set::BenchmarkHelper<AccountId> for SessionKeysHelper {
	fn register_session_keys(who: &AccountId) {
		use codec::Encode;
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, 1_000 * UNIT);
		let generated = SessionKeys::generate(&who.encode(), None);
		let _ = Session::set_keys(
			RuntimeOrigin::signed(who.clone()),
			generated.keys,
			generated.proof.encode(),
		);
	}
}

impl frame_system_benchmarking::Config for Runtime {}
impl frame_benchmarking::baseline::Config for Runtime {}

/// Approved providers (with a resource) and buyers for the order-book benchmarks.
pub struct MarketHelper;

impl MarketHelper {
	fn hub() -> AccountId {
		use frame_support::traits::fungible::Mutate;
		let hub: AccountId = frame_benchmarking::account("bench-hub", 0, 0);
		if pallet_consortium_identity::Participants::<Runtime>::get(&hub).is_none() {
			let _ = Balances::mint_into(&hub, 1_000 * UNIT);
			let _ = Identity::register(
				RuntimeOrigin::signed(hub.clone()),
				computility_primitives::Role::HubOperator,
				b"bench hub".to_vec().try_into().unwrap_or_default(),
				Default::default(),
				None,
			);
			let _ = Identity::approve(RuntimeOrigin::root(), hub.clone());
		}
		hub
	}

	fn member(who: &AccountId, role: computility_primitives::Role) {
		use frame_support::traits::fungible::Mutate;
		let hub = Self::hub();
		let _ = Balances::mint_into(who, 1u128 << 100);
		if pallet_consortium_identity::Participants::<Runtime>::get(who).is_none() {
			let _ = Identity::register(
				RuntimeOrigin::signed(who.clone()),
				role,
				b"bench".to_vec().try_into().unwrap_or_default(),
				Default::default(),
				Some(hub),
			);
			let _ = Identity::approve(RuntimeOrigin::root(), who.clone());
		}
	}
}

impl pallet_order::BenchmarkHelper<AccountId> for MarketHelper {
	fn provider(
		who: &AccountId,
		kind: computility_primitives::ResourceKind,
		quantity: u32,
		performance: u32,
	) -> computility_primitives::ResourceId {
		Self::member(who, computility_primitives::Role::Provider);
		let id = pallet_consortium_identity::NextResourceId::<Runtime>::get();
		let spec = pallet_consortium_identity::ResourceSpec {
			quantity,
			performance,
			region: *b"CN-GD\0\0\0",
			green_percent: 50,
			security_level: 3,
		};
		let _ = Identity::register_resource(
			RuntimeOrigin::signed(who.clone()),
			kind,
			b"bench model".to_vec().try_into().unwrap_or_default(),
			spec,
		);
		id
	}

	fn buyer(who: &AccountId) {
		Self::member(who, computility_primitives::Role::Buyer);
	}

	fn crowd(who: &AccountId, room: u32) {
		pallet_agreement::Pallet::<Runtime>::crowd_for_benchmarks(who, room);
	}
}

impl pallet_commission::BenchmarkHelper<AccountId> for MarketHelper {
	fn member(who: &AccountId, role: computility_primitives::Role) {
		Self::member(who, role);
	}
}

impl pallet_bill::BenchmarkHelper<AccountId> for MarketHelper {
	fn member(who: &AccountId, role: computility_primitives::Role) {
		Self::member(who, role);
	}
	fn refer(buyer: &AccountId, reseller: &AccountId) {
		let _ =
			Commission::set_reseller(RuntimeOrigin::signed(buyer.clone()), Some(reseller.clone()));
	}
}

impl pallet_hashpower::BenchmarkHelper<AccountId, sp_runtime::MultiSigner, crate::Signature>
	for MarketHelper
{
	fn member(who: &AccountId, role: computility_primitives::Role) {
		Self::member(who, role);
	}
	fn scheduler() -> sp_runtime::MultiSigner {
		pallet_hashpower::bench_keys::generate().into()
	}
	fn sign(public: &sp_runtime::MultiSigner, message: &[u8]) -> crate::Signature {
		match public {
			sp_runtime::MultiSigner::Sr25519(pk) => {
				pallet_hashpower::bench_keys::sign(pk, message).into()
			},
			_ => sp_core::sr25519::Signature::default().into(),
		}
	}
}
