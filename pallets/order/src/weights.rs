//! Weights: provisional figures, to be replaced by `scripts/bench.sh` output.
#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::{constants::RocksDbWeight, Weight}};

/// Weight functions needed by `pallet_order`.
pub trait WeightInfo {
	fn place_ask() -> Weight;
	fn place_bid(d: u32, ) -> Weight;
	fn cancel_ask() -> Weight;
	fn cancel_bid() -> Weight;
	fn amend_ask_price() -> Weight;
	fn amend_bid_price() -> Weight;
	fn expire() -> Weight;
	fn rematch_bid() -> Weight;
}

macro_rules! weights {
	($db:expr) => {
		fn place_ask() -> Weight { Weight::from_parts(60_000_000, 6_000).saturating_add($db.reads(4)).saturating_add($db.writes(5)) }
		fn place_bid(_d: u32, ) -> Weight { Weight::from_parts(2_000_000_000, 200_000).saturating_add($db.reads(200)).saturating_add($db.writes(100)) }
		fn cancel_ask() -> Weight { Weight::from_parts(40_000_000, 6_000).saturating_add($db.reads(2)).saturating_add($db.writes(4)) }
		fn cancel_bid() -> Weight { Weight::from_parts(50_000_000, 6_000).saturating_add($db.reads(3)).saturating_add($db.writes(3)) }
		fn amend_ask_price() -> Weight { Weight::from_parts(40_000_000, 6_000).saturating_add($db.reads(1)).saturating_add($db.writes(5)) }
		fn amend_bid_price() -> Weight { Weight::from_parts(2_000_000_000, 200_000).saturating_add($db.reads(200)).saturating_add($db.writes(100)) }
		fn expire() -> Weight { Weight::from_parts(50_000_000, 6_000).saturating_add($db.reads(3)).saturating_add($db.writes(4)) }
		fn rematch_bid() -> Weight { Weight::from_parts(2_000_000_000, 200_000).saturating_add($db.reads(200)).saturating_add($db.writes(100)) }
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
