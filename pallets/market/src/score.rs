//! The contribution score of a provider (CN117579629, claim 8) and the softmax shares of a
//! reward pool, in deterministic fixed point.
//!
//! ```text
//! score_j = (1 + W_rc) × [ Σ_i W_ra_i × R_a_i  +  W_rt × Σ_i W_rq_i × R_q_i ]
//! ratio_j = exp(score_j) / Σ_k exp(score_k)
//! ```
//!
//! - `R_a_i`: amount of resource kind `i` the provider offers, `W_ra_i` its kind's weight;
//! - `R_q_i`: quality figure `i` (availability, latency score, ...), `W_rq_i` its weight;
//! - `W_rc` = 0 on a first task, −0.5 when fewer than half of the last five tasks completed,
//!   else +0.5;
//! - `W_rt` = 1 + the share of time the provider's resources were leased over its last five
//!   tasks (so 1 ≤ W_rt ≤ 2: time on lease raises the weight of quality).
//!
//! All numbers are [`Fixed`]: `i128` with six decimals ([`ONE`] = 1.0). `exp` uses range
//! reduction by ln 2 and a Taylor series at twelve decimals, so every node computes the same
//! bits. Functions return `None` on overflow.
use alloc::vec::Vec;

/// Fixed point with six decimals.
pub type Fixed = i128;
/// 1.0 in [`Fixed`].
pub const ONE: Fixed = 1_000_000;

/// How one of the last tasks went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskRecord {
	/// Whether the task completed (not terminated early, not breached).
	pub completed: bool,
	/// Blocks the resources were leased during the task's window.
	pub leased_blocks: u64,
	/// Blocks of the task's window.
	pub window_blocks: u64,
}

/// `W_rc` from the last (at most five) tasks.
pub fn w_rc(last: &[TaskRecord]) -> Fixed {
	let last = &last[last.len().saturating_sub(5)..];
	if last.is_empty() {
		return 0;
	}
	let done = last.iter().filter(|t| t.completed).count();
	// completion rate < 0.5  <=>  2 × done < n
	if 2 * done < last.len() {
		-ONE / 2
	} else {
		ONE / 2
	}
}

/// `W_rt` = 1 + leased share over the last (at most five) tasks.
pub fn w_rt(last: &[TaskRecord]) -> Fixed {
	let last = &last[last.len().saturating_sub(5)..];
	let leased: u128 = last.iter().map(|t| t.leased_blocks.min(t.window_blocks) as u128).sum();
	let window: u128 = last.iter().map(|t| t.window_blocks as u128).sum();
	if window == 0 {
		return ONE;
	}
	ONE + (leased * ONE as u128 / window) as Fixed
}

fn mul(a: Fixed, b: Fixed) -> Option<Fixed> {
	a.checked_mul(b).map(|p| p / ONE)
}

/// `score_j` from weighted resource amounts `(W_ra, R_a)` and weighted quality figures
/// `(W_rq, R_q)` (all [`Fixed`]) and the task history.
pub fn score(
	resources: &[(Fixed, Fixed)],
	quality: &[(Fixed, Fixed)],
	last: &[TaskRecord],
) -> Option<Fixed> {
	let mut ra: Fixed = 0;
	for (w, r) in resources {
		ra = ra.checked_add(mul(*w, *r)?)?;
	}
	let mut rq: Fixed = 0;
	for (w, r) in quality {
		rq = rq.checked_add(mul(*w, *r)?)?;
	}
	let inner = ra.checked_add(mul(w_rt(last), rq)?)?;
	mul(ONE.checked_add(w_rc(last))?, inner)
}

/// Twelve decimals, for the series.
const HI: i128 = 1_000_000_000_000;
/// ln 2 with twelve decimals.
const LN2_HI: i128 = 693_147_180_560;

/// e^x for x ≤ 0 ([`Fixed`]), with twelve internal decimals; 0 below e^-60.
pub fn exp_neg(x: Fixed) -> Fixed {
	if x > 0 {
		return ONE;
	}
	if x < -60 * ONE {
		return 0;
	}
	let y = x * (HI / ONE); // to twelve decimals, y ≤ 0
						 // y = -k·ln2 + r with r in (-ln2, 0]
	let k = (-y) / LN2_HI;
	let r = y + k * LN2_HI;
	// e^r by Taylor series (|r| < 0.7: 20 terms are far past 12 decimals).
	let mut term = HI;
	let mut sum = HI;
	for n in 1..=20i128 {
		term = term * r / HI / n;
		if term == 0 {
			break;
		}
		sum += term;
	}
	let value = if k >= 127 { 0 } else { sum >> k };
	value / (HI / ONE)
}

/// Split `pool` by the softmax of `scores`: each share is `pool × exp(s_j − max) / Σ exp(s_k − max)`
/// rounded down, and the units lost to rounding go one each to the highest scores (ties to the
/// lower index), so the shares add up to `pool` exactly.
pub fn softmax_shares(pool: u128, scores: &[Fixed]) -> Vec<u128> {
	let Some(&max) = scores.iter().max() else { return Vec::new() };
	let weights: Vec<u128> =
		scores.iter().map(|s| exp_neg(s.saturating_sub(max)).max(0) as u128).collect();
	let total: u128 = weights.iter().sum();
	// The maximum contributes exp(0) = ONE, so total ≥ ONE > 0.
	let mut shares: Vec<u128> = weights
		.iter()
		.map(|w| {
			// pool × w / total without overflow: split pool.
			let q = pool / total;
			let r = pool % total;
			q * w + r * w / total
		})
		.collect();
	let mut left = pool - shares.iter().sum::<u128>();
	let mut order: Vec<usize> = (0..scores.len()).collect();
	order.sort_by(|a, b| scores[*b].cmp(&scores[*a]).then(a.cmp(b)));
	let mut i = 0;
	while left > 0 && !order.is_empty() {
		shares[order[i % order.len()]] += 1;
		left -= 1;
		i += 1;
	}
	shares
}

#[cfg(test)]
mod tests;
