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
