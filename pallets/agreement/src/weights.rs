//! Weights: provisional figures, to be replaced by `scripts/bench.sh` output.
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions needed by `pallet_agreement`.
pub trait WeightInfo {
	fn terminate() -> Weight;
	fn complete() -> Weight;
	fn dispute() -> Weight;
	fn resolve_dispute() -> Weight;
}

macro_rules! weights {
	($db:expr) => {
		fn terminate() -> Weight { Weight::from_parts(90_000_000, 9_000).saturating_add($db.reads(7)).saturating_add($db.writes(7)) }
		fn complete() -> Weight { Weight::from_parts(90_000_000, 9_000).saturating_add($db.reads(7)).saturating_add($db.writes(7)) }
		fn dispute() -> Weight { Weight::from_parts(20_000_000, 4_000).saturating_add($db.reads(1)).saturating_add($db.writes(1)) }
		fn resolve_dispute() -> Weight { Weight::from_parts(90_000_000, 9_000).saturating_add($db.reads(7)).saturating_add($db.writes(7)) }
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
