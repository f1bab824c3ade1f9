//! Tests of `escrow`.
use super::*;
use proptest::prelude::*;

#[test]
fn holds_and_refunds() {
	assert_eq!(bid_hold(10, 3, 4), Some(120));
	assert_eq!(fill_cost(7, 3, 4), Some(84));
	assert_eq!(fill_refund(10, 7, 3, 4), Some(36));
	assert_eq!(fill_refund(7, 10, 3, 4), None);
	assert_eq!(bid_hold(u128::MAX, 2, 1), None);
}

#[test]
fn pro_rata_edges() {
	assert_eq!(pro_rata(100, 0, 10), Some(0));
	assert_eq!(pro_rata(100, 10, 10), Some(100));
	assert_eq!(pro_rata(100, 20, 10), Some(100));
	assert_eq!(pro_rata(100, 3, 10), Some(30));
	assert_eq!(pro_rata(101, 5, 10), Some(50));
	assert_eq!(pro_rata(7, 1, 0), Some(7));
}

proptest! {
	/// The bid's hold always covers the fill's cost plus the refund, to the unit.
	#[test]
	fn hold_splits_into_cost_and_refund(max in 0u128..1u128 << 80, price_off in 0u128..1u128 << 80, q in 0u32..10_000, h in 0u32..10_000) {
		let price = max.saturating_sub(price_off);
		let hold = bid_hold(max, q, h).unwrap();
		prop_assert_eq!(fill_cost(price, q, h).unwrap() + fill_refund(max, price, q, h).unwrap(), hold);
	}

	/// Pro rata equals the exact rational floor, never exceeds the escrow, and is monotone.
	#[test]
	fn pro_rata_is_exact_floor(escrow in 0u128..1u128 << 100, total in 1u64..1_000_000, e in 0u64..2_000_000) {
		let got = pro_rata(escrow, e, total).unwrap();
		let exact = (escrow as u128).checked_mul(e.min(total) as u128).map(|x| x / total as u128);
		if let Some(exact) = exact { prop_assert_eq!(got, exact); }
		prop_assert!(got <= escrow);
		if e > 0 { prop_assert!(pro_rata(escrow, e - 1, total).unwrap() <= got); }
	}
}
