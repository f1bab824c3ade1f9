//! Matching bids and asks, in both directions, and the eligibility rule both use.
//!
//! The order pallet reads a bounded run of orders from its book indexes, decides each one's
//! [`eligibility`] from the orders' terms and what it knows of the parties, and calls
//! [`match_bid`] (a bid arriving, against resting asks) or [`match_ask`] (an ask arriving,
//! against resting bids). The rule:
//!
//! 1. a pair trades only when it is [`eligible`](eligibility): not the same account, neither
//!    order expired, the lease length within the ask's range, the task kind among the ask's,
//!    the region the bid names (if any), the ask's service levels covering the bid's, both
//!    parties and the resource active, and both parties with room for one more agreement;
//! 2. and when the ask's unit price is at most the bid's highest, its performance at least the
//!    bid's least, and both have units left;
//! 3. a bid takes asks best first by its priority: price-first by unit price (cheapest first),
//!    performance-first by performance per unit (fastest first) and then price; ties go to the
//!    provider with the higher contribution score, then to the older ask;
//! 4. an ask fills bids best first by price (highest bid first), then the older bid;
//! 5. every trade is at the ask's unit price (a bid's price is a ceiling, not an offer);
//! 6. each order fills as much as it can (partial fills) until it is filled or `max_fills`
//!    counterparts have been used. What is left rests in the book.
use alloc::vec::Vec;
use core::cmp::Ordering;

pub use crate::settlement::Levels;

/// How a buyer ranks asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
	feature = "codec",
	derive(
		codec::Encode,
		codec::Decode,
		codec::DecodeWithMemTracking,
		codec::MaxEncodedLen,
		scale_info::TypeInfo,
	)
)]
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
	/// Whether [`eligibility`] allows this ask to trade with the bid.
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
	fill_in_order(req.quantity, max_fills, ranked, |c| c.available)
		.into_iter()
		.map(|(c, q)| Fill { ask: c.id, quantity: q, unit_price: c.unit_price })
		.collect()
}

/// Take `wanted` units from `ranked` counterparts in order, each at most `units(c)` (partial
/// fills), until nothing is wanted or `max_fills` counterparts are used: the filling step both
/// directions share. Returns each counterpart used with the units taken from it.
fn fill_in_order<'a, C>(
	wanted: u32,
	max_fills: usize,
	ranked: Vec<&'a C>,
	units: impl Fn(&C) -> u32,
) -> Vec<(&'a C, u32)> {
	let mut left = wanted;
	let mut fills = Vec::new();
	for c in ranked {
		if left == 0 || fills.len() >= max_fills {
			break;
		}
		let q = left.min(units(c));
		left -= q;
		fills.push((c, q));
	}
	fills
}

/// A resting bid as an arriving ask sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BidCandidate {
	/// Bid id (older bids have smaller ids).
	pub id: u64,
	/// The bid's highest unit price.
	pub max_unit_price: u128,
	/// The bid's least performance per unit.
	pub min_performance: u32,
	/// Units the bid still wants.
	pub quantity: u32,
	/// Whether [`eligibility`] allows this bid to trade with the ask.
	pub eligible: bool,
}

/// What an arriving ask offers, as the matcher sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offer {
	/// Unit price per hour.
	pub unit_price: u128,
	/// Performance per unit of the ask's resource.
	pub performance: u32,
	/// Units offered.
	pub available: u32,
}

/// One bid's part in taking an ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BidFill {
	/// The bid.
	pub bid: u64,
	/// Units it takes.
	pub quantity: u32,
}

/// Whether bid `b` can take units of `offer` at all.
pub fn acceptable_bid(offer: &Offer, b: &BidCandidate) -> bool {
	b.eligible
		&& b.quantity > 0
		&& offer.unit_price <= b.max_unit_price
		&& offer.performance >= b.min_performance
}

/// The order in which an ask fills resting bids: highest price first, then the older bid.
pub fn rank_bids(a: &BidCandidate, b: &BidCandidate) -> Ordering {
	b.max_unit_price.cmp(&a.max_unit_price).then(a.id.cmp(&b.id))
}

/// The fills of an arriving ask, best bid first. Never fills more than the ask offers, never
/// more than a bid wants, never the same bid twice, never more than `max_fills` bids. Every
/// fill is at the ask's unit price.
pub fn match_ask(offer: &Offer, bids: &[BidCandidate], max_fills: usize) -> Vec<BidFill> {
	let mut ranked: Vec<&BidCandidate> = bids.iter().filter(|b| acceptable_bid(offer, b)).collect();
	ranked.sort_by(|a, b| rank_bids(a, b));
	ranked.dedup_by_key(|b| b.id);
	fill_in_order(offer.available, max_fills, ranked, |b| b.quantity)
		.into_iter()
		.map(|(b, q)| BidFill { bid: b.id, quantity: q })
		.collect()
}

/// The terms of an ask that eligibility reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AskTerms {
	/// The resource's region.
	pub region: [u8; 8],
	/// Shortest lease, hours.
	pub min_hours: u32,
	/// Longest lease, hours.
	pub max_hours: u32,
	/// Task kinds it runs (bit `k` = task kind `k`).
	pub task_kinds: u32,
	/// Service levels it guarantees.
	pub sla: Levels,
	/// Last block it may trade in.
	pub expires_at: u64,
}

/// The terms of a bid that eligibility reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BidTermsView {
	/// Only this region, if set.
	pub region: Option<[u8; 8]>,
	/// Lease length, hours.
	pub hours: u32,
	/// Task kind (0..=31).
	pub task_kind: u8,
	/// Service levels it requires.
	pub sla: Levels,
	/// Last block it may trade in.
	pub expires_at: u64,
}

/// What the pallet knows of the two parties and the resource (read from other pallets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
	/// The provider is the buyer (its own order).
	pub same_account: bool,
	/// The provider is an approved participant in good standing.
	pub provider_active: bool,
	/// The buyer is an approved participant in good standing.
	pub buyer_active: bool,
	/// The ask's resource is registered and not retired.
	pub resource_active: bool,
	/// The provider can take part in one more agreement.
	pub provider_has_room: bool,
	/// The buyer can take part in one more agreement.
	pub buyer_has_room: bool,
}

/// Why a pair cannot trade (the first reason found, in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ineligible {
	/// The provider is the buyer.
	OwnOrder,
	/// The ask or the bid has expired.
	Expired,
	/// The provider is not active (suspended, revoked, unknown).
	ProviderInactive,
	/// The buyer is not active (suspended, revoked, unknown).
	BuyerInactive,
	/// The resource is retired.
	ResourceRetired,
	/// The provider has the most running agreements allowed.
	ProviderFull,
	/// The buyer has the most running agreements allowed.
	BuyerFull,
	/// The lease length is outside the ask's range.
	Hours,
	/// The ask does not run the bid's task kind.
	TaskKind,
	/// The ask is in another region than the bid names.
	Region,
	/// The ask's guaranteed service levels do not cover the bid's required ones.
	ServiceLevels,
}

/// Whether an ask and a bid may trade at block `now` (price, performance and units aside: see
/// [`acceptable`] and [`acceptable_bid`]).
pub fn eligibility(
	ask: &AskTerms,
	bid: &BidTermsView,
	who: &Standing,
	now: u64,
) -> Result<(), Ineligible> {
	if who.same_account {
		return Err(Ineligible::OwnOrder);
	}
	if now > ask.expires_at || now > bid.expires_at {
		return Err(Ineligible::Expired);
	}
	if !who.provider_active {
		return Err(Ineligible::ProviderInactive);
	}
	if !who.buyer_active {
		return Err(Ineligible::BuyerInactive);
	}
	if !who.resource_active {
		return Err(Ineligible::ResourceRetired);
	}
	if !who.provider_has_room {
		return Err(Ineligible::ProviderFull);
	}
	if !who.buyer_has_room {
		return Err(Ineligible::BuyerFull);
	}
	if bid.hours < ask.min_hours || bid.hours > ask.max_hours {
		return Err(Ineligible::Hours);
	}
	if bid.task_kind >= 32 || ask.task_kinds & (1u32 << bid.task_kind) == 0 {
		return Err(Ineligible::TaskKind);
	}
	if bid.region.is_some_and(|r| r != ask.region) {
		return Err(Ineligible::Region);
	}
	if !ask.sla.covers(&bid.sla) {
		return Err(Ineligible::ServiceLevels);
	}
	Ok(())
}

#[cfg(test)]
mod tests;
