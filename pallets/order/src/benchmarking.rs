//! Benchmarks for the order book. Matching is measured at its bounds (`MaxScan` asks read,
//! `MaxFills` fills) over a book of depth `d`: the weight must not grow with `d`.
use super::*;
use computility_primitives::ResourceKind;
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};

const KIND: ResourceKind = ResourceKind::Gpu;
const TASK: u8 = 1;

fn terms<T: Config>(quantity: u32, max_price: u128) -> BidTerms<BalanceOf<T>> {
	BidTerms {
		kind: KIND,
		quantity,
		min_performance: 0,
		region: None,
		max_unit_price: max_price,
		hours: 1,
		task_kind: TASK,
		task_hash: [0u8; 32],
		sla: Default::default(),
		priority: Priority::PriceFirst,
	}
}

fn life<T: Config>() -> BlockNumberFor<T> {
	T::MaxOrderLife::get()
}

/// Put an ask straight into the book (depth filler; no provider checks needed).
fn raw_ask<T: Config>(provider: &T::AccountId, resource: ResourceId, price: u128, task_kinds: u32) {
	let id = NextOrderId::<T>::get();
	NextOrderId::<T>::put(id + 1);
	let ask = Ask {
		provider: provider.clone(),
		resource,
		kind: KIND,
		performance: 100,
		region: *b"CN-GD\0\0\0",
		quantity: 1,
		available: 1,
		unit_price: price,
		min_hours: 1,
		max_hours: 10,
		task_kinds,
		expires_at: life::<T>(),
	};
	PriceIndex::<T>::insert(KIND, price_key(price, id), ());
	PerformanceIndex::<T>::insert(KIND, performance_key(100, price, id), ());
	Asks::<T>::insert(id, ask);
}

/// The worst-case book: `MaxScan - MaxFills` cheap asks the bid cannot use (wrong task kind),
/// then `MaxFills` usable asks, then `d` more asks within the bid's price that the scan never
/// reaches. Returns the buyer.
fn book<T: Config>(d: u32) -> T::AccountId {
	let provider: T::AccountId = account("provider", 0, 0);
	let resource = T::BenchmarkHelper::provider(&provider, KIND, 1_000, 100);
	let fills = T::MaxFills::get();
	let skipped = T::MaxScan::get().saturating_sub(fills);
	for _ in 0..skipped {
		raw_ask::<T>(&provider, resource, 10, 1 << (TASK + 1));
	}
	for _ in 0..fills {
		raw_ask::<T>(&provider, resource, 20, 1 << TASK);
	}
	for _ in 0..d {
		raw_ask::<T>(&provider, resource, 30, 1 << TASK);
	}
	let buyer: T::AccountId = account("buyer", 0, 0);
	T::BenchmarkHelper::buyer(&buyer);
	buyer
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn place_ask() {
		let provider: T::AccountId = account("provider", 0, 0);
		let resource = T::BenchmarkHelper::provider(&provider, KIND, 10, 100);
		for _ in 1..T::MaxAsksPerAccount::get() {
			Pallet::<T>::do_place_ask(provider.clone(), resource, 1, 5, 1, 2, 1, life::<T>())
				.expect("ask");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(provider.clone()), resource, 10, 5u128, 1, 10, 0b10, life::<T>());
		assert_eq!(AsksOf::<T>::get(&provider).len() as u32, T::MaxAsksPerAccount::get());
	}

	/// A bid that reads `MaxScan` asks and fills `MaxFills` of them, over a book of depth `d`.
	#[benchmark]
	fn place_bid(d: Linear<10, { crate::MAX_BENCHED_DEPTH }>) {
		let buyer = book::<T>(d);
		let fills = T::MaxFills::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), terms::<T>(fills + 1, 30), life::<T>());
		let (_, bids) = Pallet::<T>::open_orders(buyer);
		assert_eq!(bids.len(), 1, "one unit rests after MaxFills fills");
	}

	#[benchmark]
	fn cancel_ask() {
		let provider: T::AccountId = account("provider", 0, 0);
		let resource = T::BenchmarkHelper::provider(&provider, KIND, 10, 100);
		let mut id = 0;
		for _ in 0..T::MaxAsksPerAccount::get() {
			id = Pallet::<T>::do_place_ask(provider.clone(), resource, 1, 5, 1, 2, 1, life::<T>())
				.expect("ask");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id);
		assert!(Asks::<T>::get(id).is_none());
	}

	#[benchmark]
	fn cancel_bid() {
		let buyer: T::AccountId = account("buyer", 0, 0);
		T::BenchmarkHelper::buyer(&buyer);
		let mut id = 0;
		for _ in 0..T::MaxBidsPerAccount::get() {
			id = Pallet::<T>::do_place_bid(buyer.clone(), terms::<T>(1, 5), life::<T>())
				.expect("bid");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);
		assert!(Bids::<T>::get(id).is_none());
	}

	#[benchmark]
	fn amend_ask_price() {
		let provider: T::AccountId = account("provider", 0, 0);
		let resource = T::BenchmarkHelper::provider(&provider, KIND, 10, 100);
		let id = Pallet::<T>::do_place_ask(provider.clone(), resource, 1, 5, 1, 2, 1, life::<T>())
			.expect("ask");
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, 7u128);
		assert_eq!(Asks::<T>::get(id).map(|a| a.unit_price), Some(7));
	}

	/// Raising a bid's price re-runs matching at its bounds.
	#[benchmark]
	fn amend_bid_price() {
		let buyer = book::<T>(crate::MAX_BENCHED_DEPTH);
		let fills = T::MaxFills::get();
		let id = Pallet::<T>::do_place_bid(buyer.clone(), terms::<T>(fills + 1, 15), life::<T>())
			.expect("bid");
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id, 30u128);
		assert_eq!(Bids::<T>::get(id).map(|b| b.terms.quantity), Some(1));
	}

	#[benchmark]
	fn expire() {
		let buyer: T::AccountId = account("buyer", 0, 0);
		T::BenchmarkHelper::buyer(&buyer);
		let id =
			Pallet::<T>::do_place_bid(buyer.clone(), terms::<T>(1, 5), 1u32.into()).expect("bid");
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number() + 5u32.into(),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);
		assert!(Bids::<T>::get(id).is_none());
	}

	/// Matching a resting bid again, at the bounds.
	#[benchmark]
	fn rematch_bid() {
		let buyer = book::<T>(crate::MAX_BENCHED_DEPTH);
		let fills = T::MaxFills::get();
		let id = Pallet::<T>::do_place_bid(buyer.clone(), terms::<T>(fills + 1, 30), life::<T>())
			.expect("bid");
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);
		assert_eq!(Bids::<T>::get(id).map(|b| b.terms.quantity), Some(1));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(false), crate::mock::Test);
}
