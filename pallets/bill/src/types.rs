//! Metering reports, settlement bases and the bill record.
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
pub use computility_primitives::{AgreementId, CommissionLines};
use scale_info::TypeInfo;

/// Bill identifier (sequence number).
pub type BillId = u64;

/// A settlement period of an agreement: 0 is the first.
pub type PeriodIndex = u32;

/// What a monitor measured over a period.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Metrics {
	/// Availability over the period, per mille (at most 1000).
	pub availability_permille: u16,
	/// Worst observed latency, milliseconds.
	pub latency_ms: u32,
	/// Throughput achieved, kind-specific units per second.
	pub throughput: u32,
	/// Usage over the period (kind-specific: core-seconds, GPU-seconds, GiB-hours, ...).
	pub usage: u64,
}

impl Metrics {
	/// Within range.
	pub fn is_valid(&self) -> bool {
		self.availability_permille <= 1000
	}
}

impl From<Metrics> for computility_market::settlement::Metrics {
	fn from(m: Metrics) -> Self {
		computility_market::settlement::Metrics {
			availability_permille: m.availability_permille,
			latency_ms: m.latency_ms,
			throughput: m.throughput,
		}
	}
}

/// The monitor an agreement's buyer appointed.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Appointment<AccountId> {
	/// The monitor.
	pub monitor: AccountId,
	/// The first period it meters (the one running when it was appointed).
	pub from_period: PeriodIndex,
}

/// A monitor's report for one period.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Report<AccountId> {
	/// Who reported.
	pub monitor: AccountId,
	/// What it measured.
	pub metrics: Metrics,
	/// Digest of its raw measurement log (kept off chain).
	pub digest: [u8; 32],
	/// `blake2_256(permit)`: the monitor's one-time permit, committed.
	pub commitment: [u8; 32],
	/// The buyer revealed the matching permit.
	pub confirmed: bool,
}

/// On what grounds a period was settled.
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
pub enum Basis {
	/// The monitor reported and the buyer's permit matched the monitor's.
	Confirmed,
	/// The monitor reported; the buyer neither confirmed nor disputed within the window.
	Deemed,
	/// A monitor was appointed but did not report within the window: no evidence of
	/// service, the period is refunded.
	Unmetered,
	/// No monitor was appointed for the period: the buyer waived metering, the provider is
	/// paid in full.
	Waived,
	/// A disputed period, settled on the metrics governance decided.
	Governance,
}

/// Which party disputed a period.
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
pub enum Disputant {
	/// The buyer.
	Buyer,
	/// The provider.
	Provider,
}

/// Settlement progress of an agreement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Progress {
	/// Periods settled.
	pub settled: u32,
	/// Some settled period broke a promised level.
	pub breached: bool,
}

/// An immutable bill: one settled period of one agreement.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Bill<AccountId, Balance, BlockNumber> {
	/// The agreement.
	pub agreement: AgreementId,
	/// The period.
	pub period: PeriodIndex,
	/// Who served.
	pub provider: AccountId,
	/// Who paid.
	pub buyer: AccountId,
	/// The period's share of the escrow.
	pub due: Balance,
	/// Paid to the provider (before commission).
	pub to_provider: Balance,
	/// Refunded to the buyer (shortfall and penalties).
	pub to_buyer: Balance,
	/// How the provider's pay was split.
	pub lines: CommissionLines<AccountId, Balance>,
	/// The metrics settled on (none when unmetered or waived).
	pub metrics: Option<Metrics>,
	/// Digest of the monitor's measurement log.
	pub digest: Option<[u8; 32]>,
	/// Broken promises: bit 0 availability, bit 1 latency, bit 2 throughput.
	pub breaches: u8,
	/// Grounds of the settlement.
	pub basis: Basis,
	/// Block it was settled in.
	pub settled_at: BlockNumber,
}
