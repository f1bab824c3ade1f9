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
