//! The agreement record.
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
pub use computility_primitives::{AgreementId, OrderId, ResourceId, SlaTerms};
use scale_info::TypeInfo;

/// Where an agreement stands.
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
pub enum AgreementState {
	/// Running; escrow held.
	Active,
	/// Ran to its end; the provider was paid.
	Completed,
	/// Ended early by a party; the provider was paid for the time served, the buyer refunded
	/// the rest.
	Terminated,
	/// The service levels were broken (set by billing); escrow settled by billing.
	Breached,
	/// A party disputes it; escrow frozen until governance resolves.
	Disputed,
}

impl AgreementState {
	/// Whether escrow is still held for the agreement.
	pub fn holds_escrow(self) -> bool {
		matches!(self, AgreementState::Active | AgreementState::Disputed)
	}
}

/// Who may end an agreement early, and on what terms.
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
pub enum Party {
	/// The buyer.
	Buyer,
	/// The provider.
	Provider,
}

/// A lease created by a match.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Agreement<AccountId, Balance, BlockNumber> {
	/// Who pays.
	pub buyer: AccountId,
	/// Who serves.
	pub provider: AccountId,
	/// The ask filled.
	pub ask: OrderId,
	/// The bid filled.
	pub bid: OrderId,
	/// The resource leased.
	pub resource: ResourceId,
	/// Units leased.
	pub quantity: u32,
	/// Unit price per hour.
	pub unit_price: Balance,
	/// Lease length in hours.
	pub hours: u32,
	/// First block of the lease.
	pub start: BlockNumber,
	/// First block after the lease.
	pub end: BlockNumber,
	/// Promised service levels.
	pub sla: SlaTerms,
	/// Hash of the task description.
	pub task_hash: [u8; 32],
	/// Escrowed at creation.
	pub escrow: Balance,
	/// Paid to the provider so far.
	pub paid: Balance,
	/// Refunded to the buyer so far.
	pub refunded: Balance,
	/// Where it stands.
	pub state: AgreementState,
	/// Length of a settlement period in blocks (billing meters and pays per period).
	pub period: BlockNumber,
	/// Who ended it early, if anyone did (then `end` is the block it was ended at).
	pub ended_early: Option<Party>,
}
