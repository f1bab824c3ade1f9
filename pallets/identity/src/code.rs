//! Unified identifier codes (policy notice: "unified identification").
//!
//! Every approved participant and every registered resource gets a code that people can read
//! aloud, type, and check for typos:
//!
//! ```text
//!   CU P - 00000017 - K        participant: "CU", role letter, sequence, check character
//!   CR G - 00000003 - 7        resource:    "CR", kind letter, sequence, check character
//! ```
//!
//! The check character is Luhn mod 36 over the code's letters and digits, so any single
//! mistyped character and any swap of two adjacent characters is detected. Sequences are
//! never reused, so a code names one record forever. Pure functions, no storage.

/// Length of every code: 3 prefix + '-' + 8 digits + '-' + 1 check character.
pub const CODE_LEN: usize = 14;

const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn value_of(c: u8) -> Option<u32> {
	ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Luhn mod 36 check character over `body` (uppercase letters and digits; other bytes are
/// skipped). `None` if `body` holds a character outside the alphabet other than '-'.
pub fn check_char(body: &[u8]) -> Option<u8> {
	let n = ALPHABET.len() as u32;
	let mut sum: u32 = 0;
	let mut double = true;
	for &c in body.iter().rev() {
		if c == b'-' {
			continue;
		}
		let mut v = value_of(c)?;
		if double {
			v = v.checked_mul(2)?;
			v = (v / n).checked_add(v % n)?;
		}
		sum = sum.checked_add(v)?;
		double = !double;
	}
	let check = (n - (sum % n)) % n;
	ALPHABET.get(check as usize).copied()
}

/// Build a code: `prefix` is two letters ("CU" or "CR"), `class` one letter (role or kind),
/// `seq` the record's sequence number (below 10^8).
pub fn make(prefix: [u8; 2], class: u8, seq: u32) -> Option<[u8; CODE_LEN]> {
	if seq >= 100_000_000 {
		return None;
	}
	let mut out = [0u8; CODE_LEN];
	out[0] = prefix[0];
	out[1] = prefix[1];
	out[2] = class;
	out[3] = b'-';
	let mut s = seq;
	for i in (4..12).rev() {
		out[i] = b'0' + (s % 10) as u8;
		s /= 10;
	}
	out[12] = b'-';
	out[13] = check_char(&out[..12])?;
	Some(out)
}

/// What a well-formed code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
	/// "CU" or "CR".
	pub prefix: [u8; 2],
	/// Role or kind letter.
	pub class: u8,
	/// Sequence number.
	pub seq: u32,
}

/// Parse and verify a code (case-insensitive). `None` if malformed or the check fails.
pub fn parse(code: &[u8]) -> Option<Parsed> {
	if code.len() != CODE_LEN {
		return None;
	}
	let mut c = [0u8; CODE_LEN];
	for (d, s) in c.iter_mut().zip(code) {
		*d = s.to_ascii_uppercase();
	}
	if c[3] != b'-' || c[12] != b'-' || !c[..3].iter().all(|b| b.is_ascii_uppercase()) {
		return None;
	}
	let mut seq: u32 = 0;
	for &d in &c[4..12] {
		if !d.is_ascii_digit() {
			return None;
		}
		seq = seq.checked_mul(10)?.checked_add((d - b'0') as u32)?;
	}
	if check_char(&c[..12])? != c[13] {
		return None;
	}
	Some(Parsed { prefix: [c[0], c[1]], class: c[2], seq })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn round_trip() {
		for seq in [0u32, 1, 17, 99, 12_345_678, 99_999_999] {
			let code = make(*b"CU", b'P', seq).unwrap();
			assert_eq!(parse(&code), Some(Parsed { prefix: *b"CU", class: b'P', seq }));
			let lower: alloc::vec::Vec<u8> = code.iter().map(|b| b.to_ascii_lowercase()).collect();
			assert_eq!(parse(&lower).map(|p| p.seq), Some(seq));
		}
		assert_eq!(make(*b"CR", b'G', 100_000_000), None);
	}

	#[test]
	fn format_is_readable() {
		let code = make(*b"CR", b'G', 3).unwrap();
		assert_eq!(&code[..13], b"CRG-00000003-");
	}

	#[test]
	fn every_single_substitution_is_detected() {
		let code = make(*b"CU", b'B', 4_071_993).unwrap();
		for i in (0..CODE_LEN).filter(|&i| i != 3 && i != 12) {
			for &a in ALPHABET.iter() {
				if a == code[i] {
					continue;
				}
				let mut bad = code;
				bad[i] = a;
				assert!(parse(&bad).is_none(), "substitution at {i} with {} undetected", a as char);
			}
		}
	}

	#[test]
	fn every_adjacent_digit_swap_is_detected() {
		for seq in [10_293_847u32, 55_667_788, 1_020_304] {
			let code = make(*b"CR", b'C', seq).unwrap();
			for i in 4..11 {
				if code[i] == code[i + 1] {
					continue;
				}
				let mut bad = code;
				bad.swap(i, i + 1);
				assert!(parse(&bad).is_none(), "swap at {i} undetected in seq {seq}");
			}
		}
	}

	#[test]
	fn malformed_codes_are_rejected() {
		assert!(parse(b"").is_none());
		assert!(parse(b"CUP-0000001-K").is_none());
		assert!(parse(b"CUP_00000017-K").is_none());
		assert!(parse(b"CUP-0000001X-K").is_none());
		assert!(parse(b"C1P-00000017-K").is_none());
	}
}
