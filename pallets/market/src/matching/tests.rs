//! Tests of `matching`.
use super::*;
use proptest::prelude::*;

fn ask(id: u64, price: u128, perf: u32, available: u32, score: i64) -> Candidate {
	Candidate { id, unit_price: price, performance: perf, available, score, eligible: true }
}
fn req(quantity: u32, max: u128, min_perf: u32, priority: Priority) -> Requirements {
	Requirements { quantity, max_unit_price: max, min_performance: min_perf, priority }
}

#[test]
fn cheapest_first_with_partial_fills_across_providers() {
	let book = [ask(1, 30, 10, 5, 0), ask(2, 10, 10, 3, 0), ask(3, 20, 10, 4, 0)];
	let fills = match_bid(&req(10, 100, 0, Priority::PriceFirst), &book, 8);
	assert_eq!(
		fills,
		vec![
			Fill { ask: 2, quantity: 3, unit_price: 10 },
			Fill { ask: 3, quantity: 4, unit_price: 20 },
			Fill { ask: 1, quantity: 3, unit_price: 30 },
		]
	);
}

#[test]
fn price_and_performance_limits() {
	let book = [ask(1, 50, 100, 5, 0), ask(2, 10, 5, 5, 0), ask(3, 20, 50, 5, 0)];
	let fills = match_bid(&req(4, 40, 10, Priority::PriceFirst), &book, 8);
	assert_eq!(fills, vec![Fill { ask: 3, quantity: 4, unit_price: 20 }]);
}

#[test]
fn performance_first_then_price() {
	let book = [ask(1, 10, 50, 2, 0), ask(2, 30, 90, 2, 0), ask(3, 20, 90, 2, 0)];
	let fills = match_bid(&req(5, 100, 0, Priority::PerformanceFirst), &book, 8);
	assert_eq!(fills.iter().map(|f| f.ask).collect::<Vec<_>>(), vec![3, 2, 1]);
	assert_eq!(fills[2].quantity, 1);
}

#[test]
fn ties_go_to_score_then_age() {
	let book =
		[ask(5, 10, 10, 1, 7), ask(3, 10, 10, 1, 9), ask(4, 10, 10, 1, 9), ask(1, 10, 10, 1, -2)];
	let fills = match_bid(&req(4, 10, 0, Priority::PriceFirst), &book, 8);
	assert_eq!(fills.iter().map(|f| f.ask).collect::<Vec<_>>(), vec![3, 4, 5, 1]);
}

#[test]
fn ineligible_and_empty_asks_are_skipped_and_fills_bounded() {
	let mut book = vec![ask(1, 10, 10, 0, 0), ask(2, 10, 10, 5, 0)];
	book[1].eligible = false;
	book.push(ask(3, 11, 10, 1, 0));
	book.push(ask(4, 12, 10, 1, 0));
	book.push(ask(5, 13, 10, 1, 0));
	let fills = match_bid(&req(9, 100, 0, Priority::PriceFirst), &book, 2);
	assert_eq!(fills.iter().map(|f| f.ask).collect::<Vec<_>>(), vec![3, 4]);
	assert!(match_bid(&req(0, 100, 0, Priority::PriceFirst), &book, 8).is_empty());
}

/// The reference: try every acceptable ask in a fully specified order, one unit at a time.
fn reference(req: &Requirements, book: &[Candidate], max_fills: usize) -> Vec<Fill> {
	let mut asks: Vec<Candidate> = book.to_vec();
	let key = |c: &Candidate| match req.priority {
		Priority::PriceFirst => (0u32, c.unit_price, -(c.score as i128), c.id),
		Priority::PerformanceFirst => {
			(u32::MAX - c.performance, c.unit_price, -(c.score as i128), c.id)
		},
	};
	asks.sort_by_key(key);
	let mut out: Vec<Fill> = Vec::new();
	let mut left = req.quantity;
	for c in asks {
		if !(c.eligible
			&& c.unit_price <= req.max_unit_price
			&& c.performance >= req.min_performance)
		{
			continue;
		}
		let mut taken = 0;
		while left > 0 && taken < c.available {
			if taken == 0 && out.len() == max_fills {
				return out;
			}
			taken += 1;
			left -= 1;
		}
		if taken > 0 {
			out.push(Fill { ask: c.id, quantity: taken, unit_price: c.unit_price });
		}
	}
	out
}

fn book() -> impl Strategy<Value = Vec<Candidate>> {
	proptest::collection::vec(
		(1u128..50, 0u32..100, 0u32..20, -5i64..5, proptest::bool::weighted(0.85)),
		0..60,
	)
	.prop_map(|v| {
		v.into_iter()
			.enumerate()
			.map(|(i, (price, perf, available, score, eligible))| Candidate {
				id: i as u64,
				unit_price: price,
				performance: perf,
				available,
				score,
				eligible,
			})
			.collect()
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

	/// The matcher agrees with the unit-by-unit reference on random books, whatever order
	/// the book arrives in.
	#[test]
	fn agrees_with_reference(
		book in book(), q in 0u32..200, max in 1u128..60, min_perf in 0u32..100,
		perf_first in any::<bool>(), max_fills in 1usize..10, seed in any::<u64>(),
	) {
		let r = req(q, max, min_perf, if perf_first { Priority::PerformanceFirst } else { Priority::PriceFirst });
		let mut shuffled = book.clone();
		let n = shuffled.len();
		for i in (1..n).rev() {
			let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) >> 17) as usize % (i + 1);
			shuffled.swap(i, j);
		}
		let fills = match_bid(&r, &shuffled, max_fills);
		prop_assert_eq!(&fills, &reference(&r, &book, max_fills));

		// Conservation: never more than wanted, never more than an ask has, never twice.
		let total: u64 = fills.iter().map(|f| f.quantity as u64).sum();
		prop_assert!(total <= q as u64);
		prop_assert!(fills.len() <= max_fills);
		for f in &fills {
			let a = book.iter().find(|c| c.id == f.ask).unwrap();
			prop_assert!(f.quantity > 0 && f.quantity <= a.available);
			prop_assert!(f.unit_price <= max && a.performance >= min_perf && a.eligible);
			prop_assert_eq!(fills.iter().filter(|g| g.ask == f.ask).count(), 1);
		}
		// Either the bid is filled, or the fill limit was hit, or no acceptable capacity is left.
		let capacity: u64 = book.iter().filter(|c| acceptable(&r, c)).map(|c| c.available as u64).sum();
		prop_assert!(total == q as u64 || fills.len() == max_fills || total == capacity);
	}
}

// ---- an arriving ask against resting bids -----------------------------------------------------

fn rbid(id: u64, max: u128, min_perf: u32, quantity: u32) -> BidCandidate {
	BidCandidate { id, max_unit_price: max, min_performance: min_perf, quantity, eligible: true }
}

#[test]
fn ask_fills_highest_bids_first_then_older() {
	let bids = [rbid(4, 20, 0, 2), rbid(2, 30, 0, 1), rbid(1, 20, 0, 2), rbid(3, 9, 0, 5)];
	let offer = Offer { unit_price: 10, performance: 100, available: 4 };
	// 30 first, then the two at 20 oldest first; the bid at 9 is below the ask's price.
	assert_eq!(
		match_ask(&offer, &bids, 8),
		vec![
			BidFill { bid: 2, quantity: 1 },
			BidFill { bid: 1, quantity: 2 },
			BidFill { bid: 4, quantity: 1 }
		]
	);
	assert_eq!(match_ask(&offer, &bids, 1), vec![BidFill { bid: 2, quantity: 1 }]);
	let mut slow = bids;
	slow[1].min_performance = 101;
	slow[2].eligible = false;
	assert_eq!(
		match_ask(&offer, &slow, 8),
		vec![BidFill { bid: 4, quantity: 2 }],
		"a bid wanting more performance, and an ineligible one, are passed over"
	);
}

/// The reference for an arriving ask: bids in a fully specified order, one unit at a time.
fn reference_ask(offer: &Offer, bids: &[BidCandidate], max_fills: usize) -> Vec<BidFill> {
	let mut sorted = bids.to_vec();
	sorted.sort_by_key(|b| (u128::MAX - b.max_unit_price, b.id));
	let mut left = offer.available;
	let mut out: Vec<BidFill> = Vec::new();
	for b in sorted {
		if !(b.eligible
			&& b.max_unit_price >= offer.unit_price
			&& b.min_performance <= offer.performance)
		{
			continue;
		}
		let mut taken = 0;
		while left > 0 && taken < b.quantity {
			if taken == 0 && out.len() == max_fills {
				return out;
			}
			taken += 1;
			left -= 1;
		}
		if taken > 0 {
			out.push(BidFill { bid: b.id, quantity: taken });
		}
	}
	out
}

// ---- eligibility ----------------------------------------------------------------------------

fn levels(a: u16, l: u32, t: u32) -> Levels {
	Levels { availability_permille: a, max_latency_ms: l, min_throughput: t }
}
fn ask_terms() -> AskTerms {
	AskTerms {
		region: *b"CN-GD\0\0\0",
		min_hours: 2,
		max_hours: 10,
		task_kinds: 0b110,
		sla: levels(995, 40, 100),
		expires_at: 50,
	}
}
fn bid_view() -> BidTermsView {
	BidTermsView {
		region: Some(*b"CN-GD\0\0\0"),
		hours: 5,
		task_kind: 1,
		sla: levels(990, 50, 80),
		expires_at: 60,
	}
}
const GOOD: Standing = Standing {
	same_account: false,
	provider_active: true,
	buyer_active: true,
	resource_active: true,
	provider_has_room: true,
	buyer_has_room: true,
};

#[test]
fn eligibility_names_each_reason() {
	let (a, b) = (ask_terms(), bid_view());
	assert_eq!(eligibility(&a, &b, &GOOD, 50), Ok(()));
	let with = |f: fn(&mut Standing)| {
		let mut s = GOOD;
		f(&mut s);
		eligibility(&a, &b, &s, 10)
	};
	assert_eq!(with(|s| s.same_account = true), Err(Ineligible::OwnOrder));
	assert_eq!(with(|s| s.provider_active = false), Err(Ineligible::ProviderInactive));
	assert_eq!(with(|s| s.buyer_active = false), Err(Ineligible::BuyerInactive));
	assert_eq!(with(|s| s.resource_active = false), Err(Ineligible::ResourceRetired));
	assert_eq!(with(|s| s.provider_has_room = false), Err(Ineligible::ProviderFull));
	assert_eq!(with(|s| s.buyer_has_room = false), Err(Ineligible::BuyerFull));
	assert_eq!(eligibility(&a, &b, &GOOD, 51), Err(Ineligible::Expired));
	assert_eq!(
		eligibility(&a, &BidTermsView { expires_at: 9, ..b }, &GOOD, 10),
		Err(Ineligible::Expired)
	);
	for hours in [1, 11] {
		assert_eq!(
			eligibility(&a, &BidTermsView { hours, ..b }, &GOOD, 10),
			Err(Ineligible::Hours)
		);
	}
	for task_kind in [0, 3, 32, 255] {
		assert_eq!(
			eligibility(&a, &BidTermsView { task_kind, ..b }, &GOOD, 10),
			Err(Ineligible::TaskKind)
		);
	}
	assert_eq!(
		eligibility(&a, &BidTermsView { region: Some(*b"EU-DE\0\0\0"), ..b }, &GOOD, 10),
		Err(Ineligible::Region)
	);
	assert_eq!(eligibility(&a, &BidTermsView { region: None, ..b }, &GOOD, 10), Ok(()));
	for sla in [levels(996, 50, 80), levels(990, 39, 80), levels(990, 50, 101)] {
		assert_eq!(
			eligibility(&a, &BidTermsView { sla, ..b }, &GOOD, 10),
			Err(Ineligible::ServiceLevels),
			"{sla:?}"
		);
	}
}

#[test]
fn service_levels_cover_and_range() {
	assert!(levels(1000, 0, 0).is_valid() && !levels(1001, 0, 0).is_valid());
	// No latency guarantee covers only a bid that requires none.
	assert!(levels(999, 0, 5).covers(&levels(999, 0, 5)));
	assert!(!levels(999, 0, 5).covers(&levels(999, 100, 5)));
	assert!(levels(999, 10, 5).covers(&levels(0, 0, 0)));
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

	/// An arriving ask agrees with the unit-by-unit reference, in any order of the bids.
	#[test]
	fn ask_agrees_with_reference(
		raw in proptest::collection::vec((1u128..50, 0u32..100, 0u32..20, proptest::bool::weighted(0.85)), 0..60),
		price in 1u128..60, perf in 0u32..100, available in 0u32..200, max_fills in 1usize..10, seed in any::<u64>(),
	) {
		let bids: Vec<BidCandidate> = raw.iter().enumerate().map(|(i, &(max, min_perf, quantity, eligible))|
			BidCandidate { id: i as u64, max_unit_price: max, min_performance: min_perf, quantity, eligible }).collect();
		let offer = Offer { unit_price: price, performance: perf, available };
		let mut shuffled = bids.clone();
		for i in (1..shuffled.len()).rev() {
			let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) >> 17) as usize % (i + 1);
			shuffled.swap(i, j);
		}
		let fills = match_ask(&offer, &shuffled, max_fills);
		prop_assert_eq!(&fills, &reference_ask(&offer, &bids, max_fills));
		let total: u64 = fills.iter().map(|f| f.quantity as u64).sum();
		prop_assert!(total <= available as u64 && fills.len() <= max_fills);
		for f in &fills {
			let b = bids.iter().find(|b| b.id == f.bid).unwrap();
			prop_assert!(f.quantity > 0 && f.quantity <= b.quantity && acceptable_bid(&offer, b));
		}
	}

	/// Both directions apply one rule: a pair that an arriving bid would take is a pair that
	/// an arriving ask would fill, and the reverse (same eligibility, price and performance).
	#[test]
	fn both_directions_agree_on_pairs(
		price in 1u128..60, perf in 0u32..100, max in 1u128..60, min_perf in 0u32..100,
		units in 1u32..10, want in 1u32..10, eligible in any::<bool>(),
	) {
		let c = Candidate { id: 1, unit_price: price, performance: perf, available: units, score: 0, eligible };
		let r = Requirements { quantity: want, max_unit_price: max, min_performance: min_perf, priority: Priority::PriceFirst };
		let b = BidCandidate { id: 2, max_unit_price: max, min_performance: min_perf, quantity: want, eligible };
		let o = Offer { unit_price: price, performance: perf, available: units };
		prop_assert_eq!(acceptable(&r, &c), acceptable_bid(&o, &b));
		let by_bid = match_bid(&r, &[c], 4).first().map(|f| f.quantity);
		let by_ask = match_ask(&o, &[b], 4).first().map(|f| f.quantity);
		prop_assert_eq!(by_bid, by_ask);
	}

	/// Covering is a partial order: reflexive and transitive, and stronger guarantees cover
	/// whatever weaker ones cover.
	#[test]
	fn covering_is_monotone(
		a in (0u16..=1000, 0u32..100, 0u32..100), b in (0u16..=1000, 0u32..100, 0u32..100), c in (0u16..=1000, 0u32..100, 0u32..100),
	) {
		let (a, b, c) = (levels(a.0, a.1, a.2), levels(b.0, b.1, b.2), levels(c.0, c.1, c.2));
		prop_assert!(a.covers(&a));
		if a.covers(&b) && b.covers(&c) {
			prop_assert!(a.covers(&c));
		}
	}
}
