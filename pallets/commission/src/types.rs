//! Commission rates, contribution-score weights and the per-era records.
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use computility_market::{score::Fixed, settlement::Rates};
use computility_primitives::ResourceKind;
use scale_info::TypeInfo;

/// Number of resource kinds (one weight each).
pub const KINDS: usize = 6;

/// Position of a kind in the per-kind arrays.
pub fn kind_index(kind: ResourceKind) -> usize {
	match kind {
		ResourceKind::Cpu => 0,
		ResourceKind::Gpu => 1,
		ResourceKind::Memory => 2,
		ResourceKind::Storage => 3,
		ResourceKind::Bandwidth => 4,
		ResourceKind::Hashrate => 5,
	}
}

/// Commission rates in parts per million of the provider's pay (at most 100 % together).
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct CommissionRates {
	/// The platform (consortium treasury).
	pub platform_ppm: u32,
	/// The provider's hub.
	pub provider_hub_ppm: u32,
	/// The buyer's hub.
	pub buyer_hub_ppm: u32,
	/// The reseller that brought the buyer.
	pub reseller_ppm: u32,
	/// The contribution reward pool.
	pub reward_pool_ppm: u32,
}

impl From<CommissionRates> for Rates {
	fn from(r: CommissionRates) -> Rates {
		Rates {
			platform_ppm: r.platform_ppm,
			provider_hub_ppm: r.provider_hub_ppm,
			buyer_hub_ppm: r.buyer_hub_ppm,
			reseller_ppm: r.reseller_ppm,
			reward_pool_ppm: r.reward_pool_ppm,
		}
	}
}

/// Weights of the contribution score, fixed point with six decimals (1_000_000 = 1.0).
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct ScoreWeights {
	/// `W_ra` per resource kind (Cpu, Gpu, Memory, Storage, Bandwidth, Hashrate), per unit
	/// delivered for a settled period.
	pub resource: [i64; KINDS],
	/// `W_rq` of the mean measured availability (0..1).
	pub availability: i64,
	/// `W_rq` of the share of periods that met every promised level (0..1).
	pub sla_met: i64,
}

impl ScoreWeights {
	/// Largest weight magnitude accepted (1000.0): keeps every score far from overflow.
	pub const LIMIT: i64 = 1_000_000_000;

	/// Every weight within ±[`Self::LIMIT`].
	pub fn is_valid(&self) -> bool {
		self.resource
			.iter()
			.chain([&self.availability, &self.sla_met])
			.all(|w| w.unsigned_abs() <= Self::LIMIT as u64)
	}
}

/// The current reward era.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct EraInfo<BlockNumber> {
	/// Era number, from 0.
	pub index: u32,
	/// Its first block.
	pub start: BlockNumber,
}

/// What a provider delivered in the current era (from settled bills).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct EraStats {
	/// Units delivered per kind, summed over settled periods (`R_a`).
	pub units: [u64; KINDS],
	/// Settled periods.
	pub periods: u32,
	/// Sum of measured availability, per mille, over the periods.
	pub availability_sum: u64,
	/// Periods that met every promised level.
	pub met: u32,
}

impl EraStats {
	/// `(W_ra, R_a)` per kind, in fixed point.
	pub fn resources(&self, w: &ScoreWeights) -> [(Fixed, Fixed); KINDS] {
		let one = computility_market::score::ONE;
		let mut out = [(0, 0); KINDS];
		for (i, o) in out.iter_mut().enumerate() {
			*o = (w.resource[i] as Fixed, (self.units[i] as Fixed).saturating_mul(one));
		}
		out
	}

	/// `(W_rq, R_q)`: mean availability and share of periods meeting the SLA, in fixed point.
	pub fn quality(&self, w: &ScoreWeights) -> [(Fixed, Fixed); 2] {
		let one = computility_market::score::ONE;
		let n = self.periods.max(1) as Fixed;
		[
			(w.availability as Fixed, (self.availability_sum as Fixed) * one / 1000 / n),
			(w.sla_met as Fixed, (self.met as Fixed) * one / n),
		]
	}
}

/// One of a provider's last tasks (agreements), for `W_rc` and `W_rt`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PastTask {
	/// Ran to its end without a breach.
	pub completed: bool,
	/// Blocks it ran.
	pub served: u64,
	/// Blocks it was agreed for.
	pub planned: u64,
}

impl From<PastTask> for computility_market::score::TaskRecord {
	fn from(t: PastTask) -> Self {
		computility_market::score::TaskRecord {
			completed: t.completed,
			leased_blocks: t.served,
			window_blocks: t.planned,
		}
	}
}
