//! Tests of `settlement`.
use super::*;
use proptest::prelude::*;

const L: Levels = Levels { availability_permille: 990, max_latency_ms: 50, min_throughput: 100 };

fn m(availability: u16, latency: u32, throughput: u32) -> Metrics {
	Metrics { availability_permille: availability, latency_ms: latency, throughput }
}

#[test]
fn sla_check() {
	assert!(!check(&L, &m(995, 40, 120)).any());
	let b = check(&L, &m(980, 60, 90));
	assert!(b.availability && b.latency && b.throughput);
	assert_eq!(b.count(), 3);
	// Unpromised levels are never broken.
	let open = Levels { availability_permille: 0, max_latency_ms: 0, min_throughput: 0 };
	assert!(!check(&open, &m(0, 10_000, 0)).any());
}

#[test]
fn settlement_examples() {
	assert_eq!(
		settle_period(1_000, &L, &m(995, 40, 120), 100_000),
		PeriodSettlement { to_provider: 1_000, to_buyer: 0 }
	);
	// 95 % available: pay 950, one broken promise: 10 % penalty -> 855.
	assert_eq!(
		settle_period(1_000, &L, &m(950, 40, 120), 100_000),
		PeriodSettlement { to_provider: 855, to_buyer: 145 }
	);
	// Three broken at 40 % each: capped at 100 %.
	assert_eq!(settle_period(1_000, &L, &m(950, 60, 10), 400_000).to_provider, 0);
}

#[test]
fn split_examples() {
	let r = Rates {
		platform_ppm: 20_000,
		provider_hub_ppm: 10_000,
		buyer_hub_ppm: 10_000,
		reseller_ppm: 30_000,
		reward_pool_ppm: 5_000,
	};
	let s = split(1_000_000, &r, true).unwrap();
	assert_eq!(
		(s.platform, s.provider_hub, s.buyer_hub, s.reseller, s.reward_pool, s.provider),
		(20_000, 10_000, 10_000, 30_000, 5_000, 925_000)
	);
	let s = split(1_000_000, &r, false).unwrap();
	assert_eq!((s.reseller, s.provider), (0, 955_000));
	assert_eq!(
		split(1, &Rates { platform_ppm: PPM, reward_pool_ppm: 1, ..Default::default() }, false),
		None
	);
}

fn rates() -> impl Strategy<Value = Rates> {
	(0u32..200_000, 0u32..200_000, 0u32..200_000, 0u32..200_000, 0u32..200_000).prop_map(
		|(a, b, c, d, e)| Rates {
			platform_ppm: a,
			provider_hub_ppm: b,
			buyer_hub_ppm: c,
			reseller_ppm: d,
			reward_pool_ppm: e,
		},
	)
}

proptest! {
	/// Settlement and commission never create or lose a unit.
	#[test]
	fn money_is_conserved(due in 0u128..1u128 << 100, a in 0u16..=1000, lat in 0u32..200, tp in 0u32..300,
		penalty in 0u32..=PPM, r in rates(), reseller in any::<bool>()) {
		let s = settle_period(due, &L, &m(a, lat, tp), penalty);
		prop_assert_eq!(s.to_provider + s.to_buyer, due);
		if !check(&L, &m(a, lat, tp)).any() { prop_assert_eq!(s.to_provider, due); }
		let sp = split(s.to_provider, &r, reseller).unwrap();
		prop_assert_eq!(sp.total(), s.to_provider);
		if !reseller { prop_assert_eq!(sp.reseller, 0); }
	}
}
