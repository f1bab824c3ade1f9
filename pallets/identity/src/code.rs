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
	/// The code in canonical (upper-case) form, as stored in the indexes.
	pub code: [u8; CODE_LEN],
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
	Some(Parsed { prefix: [c[0], c[1]], class: c[2], seq, code: c })
}

#[cfg(test)]
mod tests;
