//! Escrow arithmetic. All amounts are integers of the smallest unit; every function returns
//! `None` on overflow, and callers map that to an arithmetic error.

/// What a bid must hold: `max_unit_price × quantity × hours`.
pub fn bid_hold(max_unit_price: u128, quantity: u32, hours: u32) -> Option<u128> {
	max_unit_price.checked_mul(quantity as u128)?.checked_mul(hours as u128)
}

/// What a fill moves into escrow: `unit_price × quantity × hours`.
pub fn fill_cost(unit_price: u128, quantity: u32, hours: u32) -> Option<u128> {
	bid_hold(unit_price, quantity, hours)
}

/// What a fill releases back to the buyer from the bid's hold: the difference between the
/// bid's price and the ask's price on the filled quantity. `None` if the ask is dearer.
pub fn fill_refund(
	max_unit_price: u128,
	unit_price: u128,
	quantity: u32,
	hours: u32,
) -> Option<u128> {
	let diff = max_unit_price.checked_sub(unit_price)?;
	bid_hold(diff, quantity, hours)
}

/// The provider's pro-rata share of `escrow` after `elapsed` of `total` blocks (rounded down;
/// the remainder goes to the buyer). `elapsed` beyond `total` counts as `total`.
pub fn pro_rata(escrow: u128, elapsed: u64, total: u64) -> Option<u128> {
	if total == 0 {
		return Some(escrow);
	}
	let elapsed = elapsed.min(total) as u128;
	// escrow × elapsed / total without overflow for escrow < 2^64 × 2^64: split the division.
	let q = escrow / total as u128;
	let r = escrow % total as u128;
	q.checked_mul(elapsed)?.checked_add(r.checked_mul(elapsed)? / total as u128)
}

#[cfg(test)]
mod tests;
