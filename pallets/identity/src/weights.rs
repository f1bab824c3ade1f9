//! Weights: provisional figures, to be replaced by `scripts/bench.sh` output.
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions needed by `pallet_consortium_identity`.
pub trait WeightInfo {
	fn register() -> Weight;
	fn update_profile() -> Weight;
	fn approve() -> Weight;
	fn suspend() -> Weight;
	fn reinstate() -> Weight;
	fn revoke() -> Weight;
	fn deregister() -> Weight;
	fn register_resource() -> Weight;
	fn update_resource() -> Weight;
	fn retire_resource() -> Weight;
	fn check_membership() -> Weight;
}

macro_rules! weights {
	($db:expr) => {
		fn register() -> Weight { Weight::from_parts(60_000_000, 4_000).saturating_add($db.reads(4)).saturating_add($db.writes(4)) }
		fn update_profile() -> Weight { Weight::from_parts(20_000_000, 3_800).saturating_add($db.reads(1)).saturating_add($db.writes(1)) }
		fn approve() -> Weight { Weight::from_parts(25_000_000, 3_800).saturating_add($db.reads(2)).saturating_add($db.writes(3)) }
		fn suspend() -> Weight { Weight::from_parts(18_000_000, 3_800).saturating_add($db.reads(1)).saturating_add($db.writes(1)) }
		fn reinstate() -> Weight { Weight::from_parts(18_000_000, 3_800).saturating_add($db.reads(1)).saturating_add($db.writes(1)) }
		fn revoke() -> Weight { Weight::from_parts(18_000_000, 3_800).saturating_add($db.reads(1)).saturating_add($db.writes(1)) }
		fn deregister() -> Weight { Weight::from_parts(60_000_000, 4_000).saturating_add($db.reads(5)).saturating_add($db.writes(5)) }
		fn register_resource() -> Weight { Weight::from_parts(45_000_000, 5_000).saturating_add($db.reads(3)).saturating_add($db.writes(5)) }
		fn update_resource() -> Weight { Weight::from_parts(25_000_000, 4_000).saturating_add($db.reads(2)).saturating_add($db.writes(1)) }
		fn retire_resource() -> Weight { Weight::from_parts(35_000_000, 5_000).saturating_add($db.reads(2)).saturating_add($db.writes(3)) }
		fn check_membership() -> Weight { Weight::from_parts(8_000_000, 3_800).saturating_add($db.reads(2)) }
	};
}

/// Weights for a runtime, with its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	weights!(T::DbWeight::get());
}

/// For tests.
impl WeightInfo for () {
	weights!(RocksDbWeight::get());
}
