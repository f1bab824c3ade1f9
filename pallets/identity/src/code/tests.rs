//! Tests of `code`.
use super::*;

#[test]
fn round_trip() {
	for seq in [0u32, 1, 17, 99, 12_345_678, 99_999_999] {
		let code = make(*b"CU", b'P', seq).unwrap();
		assert_eq!(parse(&code), Some(Parsed { prefix: *b"CU", class: b'P', seq, code }));
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
