//! Known Bitcoin blocks, difficulty targets and share checks.
use super::*;

fn hex<const N: usize>(s: &str) -> [u8; N] {
	let v: Vec<u8> =
		(0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect();
	v.try_into().unwrap()
}
fn hexv(s: &str) -> Vec<u8> {
	(0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}
/// Display order (big-endian) of a digest.
fn display(d: [u8; 32]) -> [u8; 32] {
	let mut r = d;
	r.reverse();
	r
}

const GENESIS_HEADER: &str = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
const GENESIS_HASH: &str = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
/// The genesis block's only transaction (its coinbase).
const GENESIS_COINBASE: &str = "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000";
const B125552_HEADER: &str = "0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695";
const B125552_HASH: &str = "00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d";

#[test]
fn known_headers_hash_to_their_block_hashes_and_meet_their_targets() {
	for (h, id) in [(GENESIS_HEADER, GENESIS_HASH), (B125552_HEADER, B125552_HASH)] {
		let header: [u8; 80] = hex(h);
		let digest = Sha2::sha256d(&header);
		assert_eq!(display(digest), hex::<32>(id));
		let nbits = u32::from_le_bytes(header[72..76].try_into().unwrap());
		let target = target_from_nbits(nbits).unwrap();
		assert!(meets(&digest, &target), "a mined block meets its own target");
		// One nonce further does not (overwhelmingly likely, and true for these blocks).
		let mut other = header;
		other[76] ^= 1;
		assert!(!meets(&Sha2::sha256d(&other), &target));
	}
}

#[test]
fn genesis_rebuilt_from_its_coinbase_as_a_stratum_job() {
	// The whole coinbase as coinb1 (no extranonce room), an empty branch (one transaction).
	let coinbase = hexv(GENESIS_COINBASE);
	let job = Job {
		prev_hash: [0u8; 32],
		coinbase1: &coinbase,
		coinbase2: &[],
		merkle_branch: &[],
		version: 1,
		nbits: 0x1d00ffff,
		ntime: 1231006505,
	};
	let share = Share {
		extranonce1: &[],
		extranonce2: &[],
		ntime: 1231006505,
		nonce: 2083236893,
		version_bits: None,
	};
	assert_eq!(share_header::<Sha2>(&job, &share), hex::<80>(GENESIS_HEADER));
	// Split the coinbase around 8 bytes of its script as extranonce1 ‖ extranonce2.
	let (c1, rest) = coinbase.split_at(60);
	let (en, c2) = rest.split_at(8);
	let job2 = Job { coinbase1: c1, coinbase2: c2, ..job.clone() };
	let split = Share { extranonce1: &en[..4], extranonce2: &en[4..], ..share.clone() };
	let digest = check_share::<Sha2>(&job2, &split, 4, DIFF_ONE)
		.expect("the genesis block is a difficulty-1 share");
	assert_eq!(display(digest), hex::<32>(GENESIS_HASH));
	// Wrong extranonce2 size, stray version bits, or a different nonce are refused.
	assert_eq!(check_share::<Sha2>(&job2, &split, 8, DIFF_ONE), Err(ShareError::BadExtranonce2));
	assert_eq!(
		check_share::<Sha2>(&job2, &Share { version_bits: Some(1), ..split.clone() }, 4, DIFF_ONE),
		Err(ShareError::BadVersionBits)
	);
	assert_eq!(
		check_share::<Sha2>(&job2, &Share { nonce: 1, ..split.clone() }, 4, DIFF_ONE),
		Err(ShareError::LowDifficulty)
	);
	assert_eq!(check_share::<Sha2>(&job2, &split, 4, 0), Err(ShareError::BadDifficulty));
	let early = Job { ntime: 1231006506, ..job2.clone() };
	assert_eq!(check_share::<Sha2>(&early, &split, 4, DIFF_ONE), Err(ShareError::BadNtime));
	let late = Job { ntime: 1231006505 - NTIME_ROLL - 1, ..job2.clone() };
	assert_eq!(check_share::<Sha2>(&late, &split, 4, DIFF_ONE), Err(ShareError::BadNtime));
}

#[test]
fn merkle_root_folds_the_branch() {
	// Block 170 (the first with two transactions): coinbase txid and the second txid give its root.
	let cb = display(hex::<32>("b1fea52486ce0c62bb442b530a3f0132b826c74e473d1f2c220bfa78111c5082"));
	let tx = display(hex::<32>("f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16"));
	let root = merkle_root::<Sha2>(cb, &[tx]);
	assert_eq!(
		display(root),
		hex::<32>("7dac2c5666815c17a3b36427de37bb9d2e2c5ccec3f8633eb91a4205cb4c10ff")
	);
}

#[test]
fn targets_from_difficulty() {
	// Difficulty 1: 0x00000000ffff0000…
	let one = target_from_difficulty(DIFF_ONE).unwrap();
	assert_eq!(one[..6], [0, 0, 0, 0, 0xff, 0xff]);
	assert!(one[6..].iter().all(|b| *b == 0));
	assert_eq!(target_from_nbits(0x1d00ffff).unwrap(), one, "bdiff 1 is nbits 0x1d00ffff");
	// Difficulty 2 halves it; 1/65536 multiplies it by 65536.
	let two = target_from_difficulty(2 * DIFF_ONE).unwrap();
	assert_eq!(two[..6], [0, 0, 0, 0, 0x7f, 0xff]);
	let tiny = target_from_difficulty(1).unwrap();
	assert_eq!(tiny[..4], [0, 0, 0xff, 0xff]);
	assert_eq!(target_from_difficulty(0), None);
	assert_eq!(work_of(DIFF_ONE), 1u128 << 32);
	// nbits edge cases
	assert_eq!(target_from_nbits(0x0180_0000), None, "negative");
	assert_eq!(target_from_nbits(0x2301_0000), None, "above 2^256");
	assert_eq!(target_from_nbits(0x0112_3456).unwrap()[31], 0x12);
}

#[test]
fn meets_compares_as_little_endian_numbers() {
	let mut t = [0u8; 32];
	t[31] = 5; // target 5
	let mut d = [0u8; 32];
	d[0] = 5;
	assert!(meets(&d, &t));
	d[0] = 6;
	assert!(!meets(&d, &t));
	d[0] = 4;
	d[31] = 1; // a high byte set: huge
	assert!(!meets(&d, &t));
}

#[test]
fn version_rolling_and_stratum_prevhash() {
	assert_eq!(rolled_version(0x2000_0000, Some(0x0000_e000)), 0x2000_e000);
	assert_eq!(rolled_version(0x2000_0000, None), 0x2000_0000);
	let mut p = [0u8; 32];
	for (i, b) in p.iter_mut().enumerate() {
		*b = i as u8;
	}
	let s = prevhash_from_stratum(&p);
	assert_eq!(s[..4], [3, 2, 1, 0]);
	assert_eq!(prevhash_from_stratum(&s), p);
}
