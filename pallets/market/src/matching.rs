//! Matching a bid against the asks that can serve it.
//!
//! The order pallet reads a bounded run of asks from its book index (per resource kind, in
//! price or performance order), marks each one eligible or not (region, duration range, task
//! kind, expiry, the buyer's own asks) and calls [`match_bid`]. The rule:
//!
//! 1. only eligible asks with a unit price at most the bid's maximum, performance at least the
//!    bid's minimum and capacity left are considered;
//! 2. best first by the bid's priority: price-first orders by unit price (cheapest first),
//!    performance-first by performance per unit (fastest first) and then price;
//! 3. ties go to the provider with the higher contribution score, then to the older ask;
//! 4. each ask fills as much as it can (partial fills), until the bid is filled or
//!    `max_fills` asks have been used. What is left of the bid rests in the book.
use alloc::vec::Vec;
use core::cmp::Ordering;

/// How a buyer ranks asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
	/// Cheapest first.
	PriceFirst,
	/// Fastest first, then cheapest.
	PerformanceFirst,
}

/// What a bid asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Requirements {
	/// Units wanted.
	pub quantity: u32,
	/// Highest acceptable unit price.
	pub max_unit_price: u128,
	/// Lowest acceptable performance per unit.
	pub min_performance: u32,
	/// Ranking.
	pub priority: Priority,
}

/// An ask as the matcher sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
	/// Ask id (older asks have smaller ids).
	pub id: u64,
	/// Unit price per hour.
	pub unit_price: u128,
	/// Performance per unit of the ask's resource.
	pub performance: u32,
	/// Units still free on the ask.
	pub available: u32,
	/// The provider's contribution score (higher is better; fixed point, any scale).
	pub score: i64,
	/// The checks the pallet made that the matcher does not know about (region, duration,
	/// task kind, expiry, not the buyer's own ask).
	pub eligible: bool,
}

/// One ask's part in filling a bid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
	/// The ask.
	pub ask: u64,
	/// Units taken from it.
	pub quantity: u32,
	/// Its unit price (the price the buyer pays).
	pub unit_price: u128,
}

/// Whether `c` can serve `req` at all.
pub fn acceptable(req: &Requirements, c: &Candidate) -> bool {
	c.eligible
		&& c.available > 0
		&& c.unit_price <= req.max_unit_price
		&& c.performance >= req.min_performance
}

/// The order in which acceptable asks are taken.
pub fn rank(priority: Priority, a: &Candidate, b: &Candidate) -> Ordering {
	let tail = |a: &Candidate, b: &Candidate| b.score.cmp(&a.score).then(a.id.cmp(&b.id));
	match priority {
		Priority::PriceFirst => a.unit_price.cmp(&b.unit_price).then_with(|| tail(a, b)),
		Priority::PerformanceFirst => b
			.performance
			.cmp(&a.performance)
			.then(a.unit_price.cmp(&b.unit_price))
			.then_with(|| tail(a, b)),
	}
}

/// The fills for a bid, best ask first. Never fills more than wanted, never more than an ask
/// has, never the same ask twice, never more than `max_fills` asks.
pub fn match_bid(req: &Requirements, candidates: &[Candidate], max_fills: usize) -> Vec<Fill> {
	let mut ranked: Vec<&Candidate> = candidates.iter().filter(|c| acceptable(req, c)).collect();
	ranked.sort_by(|a, b| rank(req.priority, a, b));
	ranked.dedup_by_key(|c| c.id);
	let mut left = req.quantity;
	let mut fills = Vec::new();
	for c in ranked {
		if left == 0 || fills.len() >= max_fills {
			break;
		}
		let q = left.min(c.available);
		left -= q;
		fills.push(Fill { ask: c.id, quantity: q, unit_price: c.unit_price });
	}
	fills
}

#[cfg(test)]
mod tests;
