//! Benchmarks for the order book. Matching is measured by its two components: `s`, the index
//! entries a match reads besides the ones it fills (up to `MaxSkip - 1 + MaxScan - MaxFills`), and
//! `f`, the fills it makes (up to `MaxFills`). Every order read is from a distinct account whose
//! per-account lists are full (asks or bids, running agreements), behind a deep book that the
//! scan never reaches: the worst case, charged up front; calls refund what they did not use.
use super::*;
use computility_primitives::ResourceKind;
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};

const KIND: ResourceKind = ResourceKind::Gpu;
const TASK: u8 = 1;
/// Asks or bids behind the scanned ones, out of the match's price range.
const TAIL: u32 = 1_000;

fn terms<T: Config>(quantity: u32, max_price: u128, task: u8) -> BidTerms<BalanceOf<T>> {
	BidTerms {
		kind: KIND,
		quantity,
		min_performance: 0,
		region: None,
		max_unit_price: max_price,
		hours: 1,
		task_kind: task,
		task_hash: [0u8; 32],
		sla: Default::default(),
		priority: Priority::PriceFirst,
	}
}

fn life<T: Config>() -> BlockNumberFor<T> {
	T::MaxOrderLife::get()
}

/// Fill `who`'s list of open asks up to one free place (ids that are not asks only lengthen it).
fn crowd_asks<T: Config>(who: &T::AccountId) {
	AsksOf::<T>::mutate(who, |v| {
		let mut filler = u64::MAX;
		while (v.len() as u32) + 1 < T::MaxAsksPerAccount::get() && v.try_push(filler).is_ok() {
			filler = filler.saturating_sub(1);
		}
	});
}

/// Fill `who`'s list of open bids up to one free place.
fn crowd_bids<T: Config>(who: &T::AccountId) {
	BidsOf::<T>::mutate(who, |v| {
		let mut filler = u64::MAX;
		while (v.len() as u32) + 1 < T::MaxBidsPerAccount::get() && v.try_push(filler).is_ok() {
			filler = filler.saturating_sub(1);
		}
	});
}

/// A provider of its own (index `i`), with a full ask list and room for one agreement, and one
/// ask of one unit at `price` running `task_kinds`.
fn provider_ask<T: Config>(i: u32, price: u128, task_kinds: u32) -> OrderId {
	let provider: T::AccountId = account("provider", i, 0);
	let resource = T::BenchmarkHelper::provider(&provider, KIND, 1, 100);
	crowd_asks::<T>(&provider);
	T::BenchmarkHelper::crowd(&provider, 1);
	Pallet::<T>::do_place_ask(
		provider,
		resource,
		1,
		price,
		1,
		10,
		task_kinds,
		Default::default(),
		life::<T>(),
	)
	.expect("ask")
}

/// Put an ask straight into the book (the deep tail no scan reaches).
fn raw_ask<T: Config>(provider: &T::AccountId, resource: ResourceId, price: u128) {
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
		task_kinds: 1 << TASK,
		sla: Default::default(),
		expires_at: life::<T>(),
	};
	PriceIndex::<T>::insert(KIND, price_key(price, id), ());
	PerformanceIndex::<T>::insert(KIND, performance_key(100, price, id), ());
	Asks::<T>::insert(id, ask);
}

/// Of `s` entries read without filling: how many the match passes over (they come first in
/// the index: they are read whatever else is there; fewer than `MaxSkip`, so the scan goes on)
/// and how many it keeps as candidates without needing them (up to `MaxScan - f`; none without
/// a fill, since a kept order would be filled).
fn split<T: Config>(s: u32, f: u32) -> (u32, u32) {
	let skipped = s.min(T::MaxSkip::get().saturating_sub(1));
	let kept = if f == 0 { 0 } else { (s - skipped).min(T::MaxScan::get().saturating_sub(f)) };
	(skipped, kept)
}

/// The book a bid for `f` units (one if `f` is 0) at price 30 meets, cheapest first: asks at 5
/// for another task kind it passes over, `f` asks at 10 that fill it, asks at 20 it keeps
/// without needing them (`s` entries in all besides the fills, see [`split`]), each from a
/// distinct provider; then a deep tail at 40 out of its price range. Returns the buyer (full bid
/// list, room for `f` agreements).
fn ask_book<T: Config>(s: u32, f: u32) -> T::AccountId {
	let (skipped, kept) = split::<T>(s, f);
	let mut i = 0;
	for (n, price, kinds) in
		[(skipped, 5, 1 << (TASK + 1)), (f, 10, 1 << TASK), (kept, 20, 1 << TASK)]
	{
		for _ in 0..n {
			provider_ask::<T>(i, price, kinds);
			i += 1;
		}
	}
	let deep: T::AccountId = account("deep", 0, 0);
	let resource = T::BenchmarkHelper::provider(&deep, KIND, 1, 100);
	for _ in 0..TAIL {
		raw_ask::<T>(&deep, resource, 40);
	}
	let buyer: T::AccountId = account("buyer", 0, 0);
	T::BenchmarkHelper::buyer(&buyer);
	crowd_bids::<T>(&buyer);
	T::BenchmarkHelper::crowd(&buyer, f.max(1));
	buyer
}

/// The book an ask of `f` units (one if `f` is 0) at price 10 meets, highest bid first: bids at
/// 40 for a task kind it does not run, passed over, `f` bids at 30 that fill it, bids at 25 it
/// keeps without needing them (`s` entries in all besides the fills, see [`split`]), each from
/// a distinct buyer; then a deep tail at 5 below its price. Returns the provider (full ask list,
/// room for `f` agreements) and its resource (room for `f` units).
fn bid_book<T: Config>(s: u32, f: u32) -> (T::AccountId, ResourceId) {
	let (skipped, kept) = split::<T>(s, f);
	let buyer = |i: u32| {
		let b: T::AccountId = account("buyer", i, 0);
		T::BenchmarkHelper::buyer(&b);
		crowd_bids::<T>(&b);
		T::BenchmarkHelper::crowd(&b, 1);
		b
	};
	let mut i = 0;
	for (n, price, task) in [(skipped, 40, TASK + 1), (f, 30, TASK), (kept, 25, TASK)] {
		for _ in 0..n {
			Pallet::<T>::do_place_bid(buyer(i), terms::<T>(1, price, task), life::<T>())
				.expect("bid");
			i += 1;
		}
	}
	let deep: T::AccountId = account("deep-buyer", 0, 0);
	T::BenchmarkHelper::buyer(&deep);
	for _ in 0..TAIL {
		let id = NextOrderId::<T>::get();
		NextOrderId::<T>::put(id + 1);
		let t = terms::<T>(1, 5, TASK);
		Bids::<T>::insert(
			id,
			Bid { buyer: deep.clone(), terms: t, held: 5, expires_at: life::<T>() },
		);
		BidIndex::<T>::insert(KIND, bid_key(5, id), ());
	}
	let provider: T::AccountId = account("provider", 0, 0);
	let resource = T::BenchmarkHelper::provider(&provider, KIND, f.max(1), 100);
	crowd_asks::<T>(&provider);
	T::BenchmarkHelper::crowd(&provider, f.max(1));
	(provider, resource)
}

/// A provider with the most asks allowed, all of two units on one resource.
fn asks_on_one_resource<T: Config>() -> (T::AccountId, ResourceId) {
	let provider: T::AccountId = account("provider", 0, 0);
	let n = T::MaxAsksPerAccount::get();
	let resource = T::BenchmarkHelper::provider(&provider, KIND, 2 * n, 100);
	for _ in 0..n {
		Pallet::<T>::do_place_ask(
			provider.clone(),
			resource,
			2,
			5,
			1,
			2,
			1,
			Default::default(),
			life::<T>(),
		)
		.expect("ask");
	}
	(provider, resource)
}

/// Entries read besides the fills, at most.
fn max_s<T: Config>() -> u32 {
	T::MaxSkip::get()
		.saturating_sub(1)
		.saturating_add(T::MaxScan::get().saturating_sub(T::MaxFills::get()))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// An ask that reads `s` resting bids without filling them and fills `f`.
	#[benchmark]
	fn place_ask(s: Linear<0, { max_s::<T>() }>, f: Linear<0, { T::MaxFills::get() }>) {
		let (provider, resource) = bid_book::<T>(s, f);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(provider.clone()),
			resource,
			f.max(1),
			10u128,
			1,
			10,
			1 << TASK,
			Default::default(),
			life::<T>(),
		);
		let (asks, _) = Pallet::<T>::open_orders(provider);
		assert_eq!(asks.len(), if f == 0 { 1 } else { 0 }, "the ask is filled by f bids");
	}

	/// A bid that reads `s` asks without filling from them and fills `f`.
	#[benchmark]
	fn place_bid(s: Linear<0, { max_s::<T>() }>, f: Linear<0, { T::MaxFills::get() }>) {
		let buyer = ask_book::<T>(s, f);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer.clone()), terms::<T>(f.max(1), 30, TASK), life::<T>());
		let (_, bids) = Pallet::<T>::open_orders(buyer);
		assert_eq!(bids.len(), if f == 0 { 1 } else { 0 }, "the bid is filled by f asks");
	}

	#[benchmark]
	fn cancel_ask() {
		let provider: T::AccountId = account("provider", 0, 0);
		let resource = T::BenchmarkHelper::provider(&provider, KIND, 1_000, 100);
		let mut id = 0;
		for _ in 0..T::MaxAsksPerAccount::get() {
			id = Pallet::<T>::do_place_ask(
				provider.clone(),
				resource,
				1,
				5,
				1,
				2,
				1,
				Default::default(),
				life::<T>(),
			)
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
			id = Pallet::<T>::do_place_bid(buyer.clone(), terms::<T>(1, 5, TASK), life::<T>())
				.expect("bid");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);
		assert!(Bids::<T>::get(id).is_none());
	}

	/// Lowering an ask's price makes it fill `f` resting bids after reading `s` others.
	#[benchmark]
	fn amend_ask_price(s: Linear<0, { max_s::<T>() }>, f: Linear<0, { T::MaxFills::get() }>) {
		let (provider, resource) = bid_book::<T>(s, f);
		let id = Pallet::<T>::do_place_ask(
			provider.clone(),
			resource,
			f.max(1),
			50,
			1,
			10,
			1 << TASK,
			Default::default(),
			life::<T>(),
		)
		.expect("ask");
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), id, 10u128);
		assert_eq!(Asks::<T>::get(id).is_none(), f > 0);
	}

	/// Raising a bid's price re-runs matching: `s` asks read without filling, `f` fills.
	#[benchmark]
	fn amend_bid_price(s: Linear<0, { max_s::<T>() }>, f: Linear<0, { T::MaxFills::get() }>) {
		let buyer = ask_book::<T>(s, f);
		let id =
			Pallet::<T>::do_place_bid(buyer.clone(), terms::<T>(f.max(1), 5, TASK), life::<T>())
				.expect("bid");
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id, 30u128);
		assert_eq!(Bids::<T>::get(id).is_none(), f > 0);
	}

	#[benchmark]
	fn expire() {
		let buyer: T::AccountId = account("buyer", 0, 0);
		T::BenchmarkHelper::buyer(&buyer);
		let id = Pallet::<T>::do_place_bid(buyer.clone(), terms::<T>(1, 5, TASK), 1u32.into())
			.expect("bid");
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number() + 5u32.into(),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);
		assert!(Bids::<T>::get(id).is_none());
	}

	/// Matching a resting bid again: `s` asks read without filling, `f` fills.
	#[benchmark]
	fn rematch_bid(s: Linear<0, { max_s::<T>() }>, f: Linear<0, { T::MaxFills::get() }>) {
		let buyer = ask_book::<T>(s, f);
		let id =
			Pallet::<T>::do_place_bid(buyer.clone(), terms::<T>(f.max(1), 30, TASK), life::<T>())
				.expect("bid");
		#[extrinsic_call]
		_(RawOrigin::Signed(buyer), id);
		assert_eq!(Bids::<T>::get(id).is_none(), f > 0);
	}

	/// A resource with the most asks a provider may have changes performance and region: every
	/// ask is re-indexed.
	#[benchmark]
	fn resource_changed() {
		let (provider, resource) = asks_on_one_resource::<T>();
		let view = computility_primitives::ResourceView {
			owner: provider,
			kind: KIND,
			quantity: 2 * T::MaxAsksPerAccount::get(),
			performance: 200,
			region: *b"EU-DE\0\0\0",
			active: true,
		};
		#[block]
		{
			Pallet::<T>::follow_resource(resource, &view);
		}
		assert_eq!(Offered::<T>::get(resource), Some(2 * T::MaxAsksPerAccount::get()));
	}

	/// A resource with the most asks a provider may have is retired: every ask is withdrawn.
	#[benchmark]
	fn resource_retired() {
		let (provider, resource) = asks_on_one_resource::<T>();
		let view = computility_primitives::ResourceView {
			owner: provider.clone(),
			kind: KIND,
			quantity: 2 * T::MaxAsksPerAccount::get(),
			performance: 100,
			region: *b"CN-GD\0\0\0",
			active: false,
		};
		#[block]
		{
			Pallet::<T>::follow_resource(resource, &view);
		}
		assert_eq!(Offered::<T>::get(resource), None);
		assert!(AsksOf::<T>::get(&provider).is_empty());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(false), crate::mock::Test);
}
