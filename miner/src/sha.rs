//! SHA-256d of block headers with midstate reuse: the first 64 header bytes are compressed once
//! per extranonce2; each nonce then costs two compressions (the header's second block, and the
//! SHA-256 of the first digest). `compress256` uses SHA-NI when the CPU has it.
use sha2_simd::block_api::compress256;

/// SHA-256's initial state.
pub const H0: [u32; 8] = [
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The state after the header's first 64 bytes.
pub fn midstate(header: &[u8; 80]) -> [u32; 8] {
	let mut st = H0;
	let mut block = [0u8; 64];
	block.copy_from_slice(&header[..64]);
	compress256(&mut st, &[block]);
	st
}

/// A header's second block, padded (length 640 bits), with the nonce at bytes 12..16.
pub fn second_block(header: &[u8; 80]) -> [u8; 64] {
	let mut b = [0u8; 64];
	b[..16].copy_from_slice(&header[64..80]);
	b[16] = 0x80;
	b[62] = 0x02;
	b[63] = 0x80;
	b
}

/// SHA-256d of the header whose first block gave `mid` and whose second block is `block`
/// (nonce already in place): the digest as computed (little-endian number).
#[inline(always)]
pub fn sha256d_mid(mid: &[u32; 8], block: &[u8; 64]) -> [u8; 32] {
	let mut st = *mid;
	compress256(&mut st, core::slice::from_ref(block));
	let mut b2 = [0u8; 64];
	for (i, w) in st.iter().enumerate() {
		b2[4 * i..4 * i + 4].copy_from_slice(&w.to_be_bytes());
	}
	b2[32] = 0x80;
	b2[62] = 0x01;
	let mut st2 = H0;
	compress256(&mut st2, core::slice::from_ref(&b2));
	let mut out = [0u8; 32];
	for (i, w) in st2.iter().enumerate() {
		out[4 * i..4 * i + 4].copy_from_slice(&w.to_be_bytes());
	}
	out
}

/// Whether the CPU offers the SHA extensions (what `compress256` picks at run time).
pub fn sha_ni() -> bool {
	#[cfg(target_arch = "x86_64")]
	{
		std::arch::is_x86_feature_detected!("sha")
	}
	#[cfg(not(target_arch = "x86_64"))]
	{
		false
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use computility_pow::{Sha2, Sha256};

	#[test]
	fn midstate_path_equals_plain_sha256d() {
		let mut header = [0u8; 80];
		for (i, b) in header.iter_mut().enumerate() {
			*b = (i * 7 + 3) as u8;
		}
		let mid = midstate(&header);
		for nonce in [0u32, 1, 0xdead_beef, u32::MAX] {
			header[76..80].copy_from_slice(&nonce.to_le_bytes());
			let mut block = second_block(&header);
			block[12..16].copy_from_slice(&nonce.to_le_bytes());
			assert_eq!(sha256d_mid(&mid, &block), Sha2::sha256d(&header));
		}
	}
}
