//! Weights: provisional figures, to be replaced by `scripts/bench.sh` output.
#![allow(unused_parens, unused_imports, missing_docs)]

use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};
use core::marker::PhantomData;

/// Weight functions needed by `pallet_validator_set`.
pub trait WeightInfo {
	fn add_validator() -> Weight;
	fn remove_validator() -> Weight;
}

/// Weights measured on the reference machine, for the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `ValidatorSet::Validators` (r:1 w:1), `Session::NextKeys` (r:1 w:0),
	/// `ValidatorSet::SetChanged` (r:0 w:1)
	fn add_validator() -> Weight {
		Weight::from_parts(16_000_000, 3_500)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ValidatorSet::Validators` (r:1 w:1), `ValidatorSet::SetChanged` (r:0 w:1)
	fn remove_validator() -> Weight {
		Weight::from_parts(14_000_000, 3_500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

/// For tests and backwards compatibility.
impl WeightInfo for () {
	fn add_validator() -> Weight {
		Weight::from_parts(16_000_000, 3_500)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn remove_validator() -> Weight {
		Weight::from_parts(14_000_000, 3_500)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
}
