//! The share-checking core shared by the hashpower pallet, `computility-miner` and the tests.
//!
//! Jobs and shares have the shape of Stratum V1 (`mining.notify`, `mining.submit`): a share
//! names extranonce1 (the miner's), extranonce2 (the worker's), ntime, nonce and, with version
//! rolling (BIP 320), version bits. From them the checker rebuilds
//! coinbase = coinb1 ‖ extranonce1 ‖ extranonce2 ‖ coinb2 → its SHA-256d → the merkle root
//! (folding the branch) → the 80-byte header, and compares SHA-256d(header), read as a
//! little-endian 256-bit number, with the share target.
//!
//! Byte orders follow the block header: `prev_hash` and merkle hashes are in header (internal)
//! order; a Stratum `prevhash` (4-byte words swapped) is converted with
//! [`prevhash_from_stratum`]. Difficulty is fixed point: [`DIFF_ONE`] units = difficulty 1
//! (2^32 expected hashes per share), so one unit is 2^16 hashes.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;
use alloc::vec::Vec;

/// SHA-256, as the caller computes it (a host function on chain, SHA-NI in the miner).
pub trait Sha256 {
	/// SHA-256 of `data`.
	fn sha256(data: &[u8]) -> [u8; 32];
	/// SHA-256 of SHA-256 of `data`.
	fn sha256d(data: &[u8]) -> [u8; 32] {
		Self::sha256(&Self::sha256(data))
	}
}

/// The `sha2` crate's SHA-256 (uses SHA-NI where the CPU has it and `std` detects it).
pub struct Sha2;
impl Sha256 for Sha2 {
	fn sha256(data: &[u8]) -> [u8; 32] {
		use sha2::Digest;
		sha2::Sha256::digest(data).into()
	}
}

/// Difficulty units per difficulty 1 (difficulty is fixed point with 16 fractional bits).
pub const DIFF_ONE: u64 = 1 << 16;

/// How far past the job's ntime a share's ntime may roll (seconds), as pools allow.
pub const NTIME_ROLL: u32 = 7200;

/// BIP 320: the version bits miners may roll.
pub const VERSION_ROLLING_MASK: u32 = 0x1fff_e000;

/// What a job gives a miner (the fields of `mining.notify`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job<'a> {
	/// Previous block hash, header byte order.
	pub prev_hash: [u8; 32],
	/// Coinbase transaction before the extranonces.
	pub coinbase1: &'a [u8],
	/// Coinbase transaction after the extranonces.
	pub coinbase2: &'a [u8],
	/// Merkle branch hashes (header byte order), from the coinbase up.
	pub merkle_branch: &'a [[u8; 32]],
	/// Block version.
	pub version: u32,
	/// Encoded network target.
	pub nbits: u32,
	/// Block time the job starts from.
	pub ntime: u32,
}

/// What a miner submits (the fields of `mining.submit`, with the connection's extranonce1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share<'a> {
	/// The miner's (connection's) extranonce1.
	pub extranonce1: &'a [u8],
	/// The worker's extranonce2.
	pub extranonce2: &'a [u8],
	/// Block time used.
	pub ntime: u32,
	/// Nonce found.
	pub nonce: u32,
	/// Rolled version bits (BIP 320), if version rolling is on.
	pub version_bits: Option<u32>,
}

/// SHA-256d of the coinbase built with the extranonces.
pub fn coinbase_hash<H: Sha256>(job: &Job, extranonce1: &[u8], extranonce2: &[u8]) -> [u8; 32] {
	let mut cb = Vec::with_capacity(
		job.coinbase1.len() + extranonce1.len() + extranonce2.len() + job.coinbase2.len(),
	);
	cb.extend_from_slice(job.coinbase1);
	cb.extend_from_slice(extranonce1);
	cb.extend_from_slice(extranonce2);
	cb.extend_from_slice(job.coinbase2);
	H::sha256d(&cb)
}

/// The merkle root from the coinbase hash and the branch.
pub fn merkle_root<H: Sha256>(coinbase_hash: [u8; 32], branch: &[[u8; 32]]) -> [u8; 32] {
	let mut root = coinbase_hash;
	let mut buf = [0u8; 64];
	for h in branch {
		buf[..32].copy_from_slice(&root);
		buf[32..].copy_from_slice(h);
		root = H::sha256d(&buf);
	}
	root
}

/// The version a share's header carries: the job's, with the rolled bits under the mask.
pub fn rolled_version(job_version: u32, version_bits: Option<u32>) -> u32 {
	match version_bits {
		Some(bits) => (job_version & !VERSION_ROLLING_MASK) | (bits & VERSION_ROLLING_MASK),
		None => job_version,
	}
}

/// The 80-byte header.
pub fn header(
	version: u32,
	prev_hash: &[u8; 32],
	merkle_root: &[u8; 32],
	ntime: u32,
	nbits: u32,
	nonce: u32,
) -> [u8; 80] {
	let mut h = [0u8; 80];
	h[0..4].copy_from_slice(&version.to_le_bytes());
	h[4..36].copy_from_slice(prev_hash);
	h[36..68].copy_from_slice(merkle_root);
	h[68..72].copy_from_slice(&ntime.to_le_bytes());
	h[72..76].copy_from_slice(&nbits.to_le_bytes());
	h[76..80].copy_from_slice(&nonce.to_le_bytes());
	h
}

/// The header a share describes.
pub fn share_header<H: Sha256>(job: &Job, share: &Share) -> [u8; 80] {
	let cb = coinbase_hash::<H>(job, share.extranonce1, share.extranonce2);
	let root = merkle_root::<H>(cb, job.merkle_branch);
	header(
		rolled_version(job.version, share.version_bits),
		&job.prev_hash,
		&root,
		share.ntime,
		job.nbits,
		share.nonce,
	)
}

/// A 256-bit target, big-endian (most significant byte first).
pub type Target = [u8; 32];

/// Whether a SHA-256d digest (as computed, i.e. little-endian number) is at most `target`.
pub fn meets(digest: &[u8; 32], target: &Target) -> bool {
	for i in 0..32 {
		let d = digest[31 - i];
		if d != target[i] {
			return d < target[i];
		}
	}
	true
}

/// Whether a SHA-256d digest meets a share difficulty (in [`DIFF_ONE`] units; never for 0).
pub fn meets_difficulty(digest: &[u8; 32], units: u64) -> bool {
	target_from_difficulty(units).is_some_and(|t| meets(digest, &t))
}

/// The target of a share difficulty in [`DIFF_ONE`] units: `0xffff × 2^208 × DIFF_ONE / units`
/// (pool difficulty 1 is `0x00000000ffff0000…`). `None` for 0.
pub fn target_from_difficulty(units: u64) -> Option<Target> {
	if units == 0 {
		return None;
	}
	// 0xffff × 2^208 × 2^16 = 0xffff × 2^224: bytes 2..4 of the big-endian number.
	let mut n = [0u8; 32];
	n[2] = 0xff;
	n[3] = 0xff;
	Some(div_u64(&n, units))
}

/// The network target encoded in `nbits` (compact form); `None` if negative or overflowing.
pub fn target_from_nbits(nbits: u32) -> Option<Target> {
	let exp = (nbits >> 24) as usize;
	if nbits & 0x0080_0000 != 0 {
		return None;
	}
	let m = (nbits & 0x007f_ffff).to_be_bytes();
	let mut t = [0u8; 32];
	// target = mantissa × 256^(exp − 3): mantissa byte k lands at big-endian index 32 + k − exp.
	for k in 0..3 {
		let b = m[1 + k];
		match (32 + k).checked_sub(exp) {
			Some(pos) if pos < 32 => t[pos] = b,
			Some(_) => {},                 // shifted out below the last byte
			None if b != 0 => return None, // above 2^256
			None => {},
		}
	}
	Some(t)
}

fn div_u64(n: &Target, d: u64) -> Target {
	let mut out = [0u8; 32];
	let mut rem: u128 = 0;
	for i in 0..4 {
		let mut limb = [0u8; 8];
		limb.copy_from_slice(&n[i * 8..i * 8 + 8]);
		let cur = (rem << 64) | u64::from_be_bytes(limb) as u128;
		let q = cur / d as u128;
		rem = cur % d as u128;
		out[i * 8..i * 8 + 8].copy_from_slice(&(q as u64).to_be_bytes());
	}
	out
}

/// Hashes a share of `units` difficulty is worth: `units × 2^16` (difficulty × 2^32).
pub fn work_of(units: u64) -> u128 {
	(units as u128) << 16
}

/// Why a share is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareError {
	/// Extranonce2 is not of the job's size.
	BadExtranonce2,
	/// Version bits outside the rolling mask.
	BadVersionBits,
	/// The difficulty is 0.
	BadDifficulty,
	/// The ntime is before the job's or more than [`NTIME_ROLL`] after it.
	BadNtime,
	/// The hash is above the share target.
	LowDifficulty,
}

/// Check a share against a job and a share difficulty (in [`DIFF_ONE`] units): returns the
/// header hash when it meets the target.
pub fn check_share<H: Sha256>(
	job: &Job,
	share: &Share,
	extranonce2_size: usize,
	difficulty: u64,
) -> Result<[u8; 32], ShareError> {
	if share.extranonce2.len() != extranonce2_size {
		return Err(ShareError::BadExtranonce2);
	}
	if share.version_bits.is_some_and(|b| b & !VERSION_ROLLING_MASK != 0) {
		return Err(ShareError::BadVersionBits);
	}
	if share.ntime < job.ntime || share.ntime - job.ntime > NTIME_ROLL {
		return Err(ShareError::BadNtime);
	}
	if difficulty == 0 {
		return Err(ShareError::BadDifficulty);
	}
	let digest = H::sha256d(&share_header::<H>(job, share));
	if meets_difficulty(&digest, difficulty) {
		Ok(digest)
	} else {
		Err(ShareError::LowDifficulty)
	}
}

/// A Stratum `prevhash` (the header-order hash with each 4-byte word byte-swapped) in header
/// order; the same function converts back.
pub fn prevhash_from_stratum(p: &[u8; 32]) -> [u8; 32] {
	let mut out = [0u8; 32];
	for w in 0..8 {
		for b in 0..4 {
			out[w * 4 + b] = p[w * 4 + 3 - b];
		}
	}
	out
}

#[cfg(test)]
mod tests;
