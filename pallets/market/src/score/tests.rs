//! Tests of `score` (floats appear only here, as the reference).
use super::*;
use proptest::prelude::*;

fn task(completed: bool, leased: u64, window: u64) -> TaskRecord {
	TaskRecord { completed, leased_blocks: leased, window_blocks: window }
}

#[test]
fn completion_weight_follows_the_seed() {
	assert_eq!(w_rc(&[]), 0, "first task");
	assert_eq!(w_rc(&[task(true, 0, 1)]), ONE / 2);
	assert_eq!(w_rc(&[task(false, 0, 1), task(false, 0, 1), task(true, 0, 1)]), -ONE / 2);
	assert_eq!(
		w_rc(&[task(false, 0, 1), task(true, 0, 1)]),
		ONE / 2,
		"exactly one half is not below"
	);
	// Only the last five count.
	let mut h = vec![task(false, 0, 1); 10];
	h.extend([task(true, 0, 1); 3]);
	assert_eq!(w_rc(&h), ONE / 2);
}

#[test]
fn lease_time_weight_grows_with_share() {
	assert_eq!(w_rt(&[]), ONE);
	assert_eq!(w_rt(&[task(true, 50, 100)]), ONE + ONE / 2);
	assert_eq!(w_rt(&[task(true, 100, 100), task(true, 100, 100)]), 2 * ONE);
	assert_eq!(w_rt(&[task(true, 500, 100)]), 2 * ONE, "leased time is capped by the window");
	assert!(w_rt(&[task(true, 10, 100)]) < w_rt(&[task(true, 90, 100)]));
}

#[test]
fn score_example() {
	// Resources: 8 GPUs at weight 2, 64 cores at weight 0.1; quality: 0.99 availability at
	// weight 10; history: 4 of 5 completed, leased 60 % of the time.
	let resources = [(2 * ONE, 8 * ONE), (ONE / 10, 64 * ONE)];
	let quality = [(10 * ONE, 990_000)];
	let history = [
		task(true, 60, 100),
		task(true, 60, 100),
		task(false, 60, 100),
		task(true, 60, 100),
		task(true, 60, 100),
	];
	// (1 + 0.5) × [16 + 6.4 + 1.6 × 9.9] = 1.5 × 38.24 = 57.36
	assert_eq!(score(&resources, &quality, &history), Some(57_360_000));
	// A poor completion rate halves it.
	let bad = [task(false, 60, 100), task(false, 60, 100), task(true, 60, 100)];
	assert!(
		score(&resources, &quality, &bad).unwrap() < score(&resources, &quality, &history).unwrap()
	);
	assert_eq!(score(&[(i128::MAX, 2 * ONE)], &[], &[]), None, "overflow is reported");
}

#[test]
fn exp_is_accurate_and_monotone() {
	for i in 0..=6000 {
		let x = -(i as i128) * ONE / 100; // 0 .. -60
		let got = exp_neg(x) as f64 / ONE as f64;
		let want = (x as f64 / ONE as f64).exp();
		assert!((got - want).abs() <= 2e-6, "exp({x}) = {got}, want {want}");
	}
	assert_eq!(exp_neg(0), ONE);
	assert_eq!(exp_neg(-61 * ONE), 0);
	let mut prev = ONE + 1;
	for i in 0..2000 {
		let v = exp_neg(-(i as i128) * 1_000);
		assert!(v <= prev);
		prev = v;
	}
}

#[test]
fn softmax_examples() {
	assert!(softmax_shares(100, &[]).is_empty());
	assert_eq!(softmax_shares(100, &[5 * ONE]), vec![100]);
	assert_eq!(
		softmax_shares(101, &[ONE, ONE]),
		vec![51, 50],
		"the remainder goes to the first of equals"
	);
	// ln 3 apart: shares 3:1.
	let s = softmax_shares(4_000_000, &[1_098_612, 0]);
	assert!((s[0] as i128 - 3_000_000).abs() <= 10 && s[0] + s[1] == 4_000_000, "{s:?}");
}

proptest! {
	/// Shares add up to the pool, follow the scores' order, and match the real softmax.
	#[test]
	fn softmax_conserves_and_orders(pool in 0u128..1u128 << 100, scores in proptest::collection::vec(-50 * ONE..50 * ONE, 1..20)) {
		let shares = softmax_shares(pool, &scores);
		prop_assert_eq!(shares.iter().sum::<u128>(), pool);
		for i in 0..scores.len() {
			for j in 0..scores.len() {
				if scores[i] > scores[j] {
					prop_assert!(shares[i] + 1 >= shares[j]);
				}
			}
		}
		let max = scores.iter().max().copied().unwrap() as f64 / ONE as f64;
		let exps: Vec<f64> = scores.iter().map(|s| (*s as f64 / ONE as f64 - max).exp()).collect();
		let z: f64 = exps.iter().sum();
		for (i, e) in exps.iter().enumerate() {
			let want = pool as f64 * e / z;
			prop_assert!((shares[i] as f64 - want).abs() <= pool as f64 * 1e-5 + scores.len() as f64 + 1.0,
				"share {} = {}, softmax {}", i, shares[i], want);
		}
	}
}
