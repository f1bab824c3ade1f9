//! Settling a metering period of an agreement (CN113315635): the SLA check, the provider's pay
//! and the buyer's refund, and the commission split of what the provider earns.
//!
//! Rates are in parts per million ([`PPM`] = 100 %). Every split adds up to its input exactly.

/// 100 % in parts per million.
pub const PPM: u32 = 1_000_000;

/// What a monitor measured over a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
	/// Availability over the period, per mille.
	pub availability_permille: u16,
	/// Worst observed latency, milliseconds.
	pub latency_ms: u32,
	/// Throughput achieved, kind-specific units per second.
	pub throughput: u32,
}

/// Service levels: what a provider's ask guarantees, what a buyer's bid requires, and what an
/// agreement promises (the ask's guarantee, which meets the bid's requirement). Stored by the
/// pallets as `SlaTerms` (with the `codec` feature).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
	feature = "codec",
	derive(
		codec::Encode,
		codec::Decode,
		codec::DecodeWithMemTracking,
		codec::MaxEncodedLen,
		scale_info::TypeInfo,
		serde::Serialize,
		serde::Deserialize,
	)
)]
pub struct Levels {
	/// Least availability, per mille of the period (e.g. 995 = 99.5 %), at most 1000.
	pub availability_permille: u16,
	/// Greatest latency, milliseconds (0: not promised, not required).
	pub max_latency_ms: u32,
	/// Least throughput, kind-specific units per second (0: not promised, not required).
	pub min_throughput: u32,
}

/// Availability is a share of the period: at most 1000 per mille.
pub const MAX_AVAILABILITY_PERMILLE: u16 = 1_000;

impl Levels {
	/// Whether the levels are in range (availability at most 1000 per mille).
	pub fn is_valid(&self) -> bool {
		self.availability_permille <= MAX_AVAILABILITY_PERMILLE
	}

	/// Whether guaranteeing `self` meets the requirement `required`: at least the availability,
	/// a latency bound at most the required one (a guarantee of 0, none, meets only a
	/// requirement of 0), at least the throughput.
	pub fn covers(&self, required: &Levels) -> bool {
		self.availability_permille >= required.availability_permille
			&& (required.max_latency_ms == 0
				|| (self.max_latency_ms != 0 && self.max_latency_ms <= required.max_latency_ms))
			&& self.min_throughput >= required.min_throughput
	}
}

/// Which promises a period broke.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Breaches {
	/// Availability below the promise.
	pub availability: bool,
	/// Latency above the promise.
	pub latency: bool,
	/// Throughput below the promise.
	pub throughput: bool,
}

impl Breaches {
	/// Any promise broken.
	pub fn any(&self) -> bool {
		self.availability || self.latency || self.throughput
	}
	/// How many promises were broken.
	pub fn count(&self) -> u32 {
		self.availability as u32 + self.latency as u32 + self.throughput as u32
	}
}

/// Check `m` against `l`.
pub fn check(l: &Levels, m: &Metrics) -> Breaches {
	Breaches {
		availability: m.availability_permille < l.availability_permille,
		latency: l.max_latency_ms != 0 && m.latency_ms > l.max_latency_ms,
		throughput: l.min_throughput != 0 && m.throughput < l.min_throughput,
	}
}

/// How a period's due amount is divided between provider and buyer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodSettlement {
	/// Paid to the provider (before commission).
	pub to_provider: u128,
	/// Refunded to the buyer (penalty).
	pub to_buyer: u128,
}

/// Settle `due` (the escrow share of the period): pay is scaled by measured availability when
/// it falls short (`due × availability / 1000`), then each broken promise refunds a further
/// `penalty_ppm` of the pay to the buyer. Adds up to `due` exactly.
pub fn settle_period(due: u128, l: &Levels, m: &Metrics, penalty_ppm: u32) -> PeriodSettlement {
	let b = check(l, m);
	let availability = (m.availability_permille.min(1000)) as u128;
	let mut pay = if b.availability {
		due / 1000 * availability + due % 1000 * availability / 1000
	} else {
		due
	};
	let penalty_ppm = (penalty_ppm as u128).saturating_mul(b.count() as u128).min(PPM as u128);
	let penalty = pay / PPM as u128 * penalty_ppm + pay % PPM as u128 * penalty_ppm / PPM as u128;
	pay -= penalty;
	PeriodSettlement { to_provider: pay, to_buyer: due - pay }
}

/// Commission rates, parts per million of the provider's pay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rates {
	/// The platform (consortium treasury).
	pub platform_ppm: u32,
	/// The provider's hub.
	pub provider_hub_ppm: u32,
	/// The buyer's hub.
	pub buyer_hub_ppm: u32,
	/// The reseller that brought the deal (if any).
	pub reseller_ppm: u32,
	/// The contribution reward pool.
	pub reward_pool_ppm: u32,
}

impl Rates {
	/// Whether the rates leave the provider something (they add up to at most 100 %).
	pub fn is_valid(&self) -> bool {
		[
			self.platform_ppm,
			self.provider_hub_ppm,
			self.buyer_hub_ppm,
			self.reseller_ppm,
			self.reward_pool_ppm,
		]
		.iter()
		.map(|r| *r as u64)
		.sum::<u64>()
			<= PPM as u64
	}
}

/// The lines of a bill: who gets what of the provider's pay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Split {
	/// The provider keeps.
	pub provider: u128,
	/// Platform.
	pub platform: u128,
	/// Provider's hub.
	pub provider_hub: u128,
	/// Buyer's hub.
	pub buyer_hub: u128,
	/// Reseller (0 when there is none; its share stays with the provider).
	pub reseller: u128,
	/// Reward pool.
	pub reward_pool: u128,
}

impl Split {
	/// All lines.
	pub fn total(&self) -> u128 {
		self.provider
			+ self.platform
			+ self.provider_hub
			+ self.buyer_hub
			+ self.reseller
			+ self.reward_pool
	}
}

fn part(amount: u128, ppm: u32) -> u128 {
	let ppm = ppm as u128;
	amount / PPM as u128 * ppm + amount % PPM as u128 * ppm / PPM as u128
}

/// Split `pay` by `rates` (each line rounded down; the provider keeps the rest). With no
/// reseller, the reseller's rate stays with the provider. `None` for invalid rates.
pub fn split(pay: u128, rates: &Rates, has_reseller: bool) -> Option<Split> {
	if !rates.is_valid() {
		return None;
	}
	let mut s = Split {
		platform: part(pay, rates.platform_ppm),
		provider_hub: part(pay, rates.provider_hub_ppm),
		buyer_hub: part(pay, rates.buyer_hub_ppm),
		reseller: if has_reseller { part(pay, rates.reseller_ppm) } else { 0 },
		reward_pool: part(pay, rates.reward_pool_ppm),
		provider: 0,
	};
	s.provider = pay - (s.platform + s.provider_hub + s.buyer_hub + s.reseller + s.reward_pool);
	Some(s)
}

#[cfg(test)]
mod tests;
