//! Orders of the book: asks (what providers offer) and bids (what buyers want).
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
pub use computility_primitives::{OrderId, Region, ResourceId, ResourceKind, SlaTerms};
use scale_info::TypeInfo;

/// How a buyer ranks asks (the market crate's type, stored as is).
pub use computility_market::matching::Priority;

/// A provider's offer: capacity of one registered resource at a price.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Ask<AccountId, Balance, BlockNumber> {
	/// The provider.
	pub provider: AccountId,
	/// The resource offered (identity pallet).
	pub resource: ResourceId,
	/// Its kind (copied from the resource).
	pub kind: ResourceKind,
	/// Its performance per unit (kept equal to the resource's: changes of the resource update
	/// its asks).
	pub performance: u32,
	/// Its region (kept equal to the resource's, likewise).
	pub region: Region,
	/// Units offered in all.
	pub quantity: u32,
	/// Units not yet matched.
	pub available: u32,
	/// Price per unit per hour.
	pub unit_price: Balance,
	/// Shortest lease, in hours.
	pub min_hours: u32,
	/// Longest lease, in hours.
	pub max_hours: u32,
	/// Task kinds the resource can run, as a bit set (bit `k` = task kind `k`).
	pub task_kinds: u32,
	/// Service levels the provider guarantees (recorded in every agreement made from it).
	pub sla: SlaTerms,
	/// Last block the ask may be matched in.
	pub expires_at: BlockNumber,
}

/// What a buyer needs.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct BidTerms<Balance> {
	/// Resource kind.
	pub kind: ResourceKind,
	/// Units wanted.
	pub quantity: u32,
	/// Least performance per unit.
	pub min_performance: u32,
	/// Only this region, if set.
	pub region: Option<Region>,
	/// Highest price per unit per hour.
	pub max_unit_price: Balance,
	/// Lease length in hours.
	pub hours: u32,
	/// The task's kind (0..=31); the ask must list it.
	pub task_kind: u8,
	/// Hash of the task description.
	pub task_hash: [u8; 32],
	/// Service levels required: an ask matches only if its guaranteed levels cover them.
	pub sla: SlaTerms,
	/// Ranking of asks.
	pub priority: Priority,
}

/// A buyer's resting bid; its funds are held.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Bid<AccountId, Balance, BlockNumber> {
	/// The buyer.
	pub buyer: AccountId,
	/// What it wants; `terms.quantity` is what is still unfilled.
	pub terms: BidTerms<Balance>,
	/// Funds held for the unfilled part: max price × units left × hours.
	pub held: Balance,
	/// Last block the bid may be matched in.
	pub expires_at: BlockNumber,
}

/// Book index key for price order: unit price, then ask id, both big-endian so that the
/// storage order is the price order.
pub fn price_key(unit_price: u128, id: OrderId) -> [u8; 24] {
	let mut k = [0u8; 24];
	k[..16].copy_from_slice(&unit_price.to_be_bytes());
	k[16..].copy_from_slice(&id.to_be_bytes());
	k
}

/// Book index key for performance order: performance descending, then price, then ask id.
pub fn performance_key(performance: u32, unit_price: u128, id: OrderId) -> [u8; 28] {
	let mut k = [0u8; 28];
	k[..4].copy_from_slice(&(u32::MAX - performance).to_be_bytes());
	k[4..20].copy_from_slice(&unit_price.to_be_bytes());
	k[20..].copy_from_slice(&id.to_be_bytes());
	k
}

/// The ask id at the end of an index key.
pub fn id_of_key(key: &[u8]) -> OrderId {
	let mut b = [0u8; 8];
	if key.len() >= 8 {
		b.copy_from_slice(&key[key.len() - 8..]);
	}
	OrderId::from_be_bytes(b)
}

/// The unit price in a price-order key.
pub fn price_of_key(key: &[u8; 24]) -> u128 {
	let mut b = [0u8; 16];
	b.copy_from_slice(&key[..16]);
	u128::from_be_bytes(b)
}

/// The performance in a performance-order key.
pub fn performance_of_key(key: &[u8; 28]) -> u32 {
	let mut b = [0u8; 4];
	b.copy_from_slice(&key[..4]);
	u32::MAX - u32::from_be_bytes(b)
}

/// Bid index key: the highest unit price descending, then bid id ascending, both big-endian so
/// that the storage order is the order in which an arriving ask fills bids.
pub fn bid_key(max_unit_price: u128, id: OrderId) -> [u8; 24] {
	let mut k = [0u8; 24];
	k[..16].copy_from_slice(&(u128::MAX - max_unit_price).to_be_bytes());
	k[16..].copy_from_slice(&id.to_be_bytes());
	k
}

/// The highest unit price in a bid index key.
pub fn price_of_bid_key(key: &[u8; 24]) -> u128 {
	u128::MAX - price_of_key(key)
}
