//! Genesis presets.
//!
//! - `dev`: one validator (Alice), sudo (Alice), a council of Alice, Bob and Charlie;
//!   settlement periods of 5 blocks and reward eras of 30 blocks, to watch a lease in minutes.
//! - `local`: four validators (Alice, Bob, Charlie, Dave) so that GRANDPA tolerates one fault,
//!   a council of Alice, Bob and Charlie, and no sudo key; hourly settlement, daily eras.
//!
//! The well-known development accounts are endowed in both.
use crate::{
	AccountId, BalancesConfig, BillConfig, CommissionConfig, CouncilMembershipConfig,
	IdentityConfig, NodeAuthorizationConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	SudoConfig, ValidatorSetConfig, UNIT,
};
use alloc::{vec, vec::Vec};
use computility_primitives::Role;
use frame_support::build_struct_json_patch;
use pallet_commission::{CommissionRates, ScoreWeights};
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::OpaquePeerId as PeerId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// The `dev` preset's name (`development` is accepted too).
pub const DEV_PRESET: &str = "dev";
/// The `local` preset's name (`local_testnet` is accepted too).
pub const LOCAL_PRESET: &str = "local";

/// What each endowed account starts with.
pub const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// A validator's account and session keys, from a well-known development keyring entry.
fn validator(k: Sr25519Keyring) -> (AccountId, AuraId, GrandpaId) {
	let grandpa = match k {
		Sr25519Keyring::Alice => Ed25519Keyring::Alice,
		Sr25519Keyring::Bob => Ed25519Keyring::Bob,
		Sr25519Keyring::Charlie => Ed25519Keyring::Charlie,
		Sr25519Keyring::Dave => Ed25519Keyring::Dave,
		Sr25519Keyring::Eve => Ed25519Keyring::Eve,
		_ => Ed25519Keyring::Ferdie,
	};
	(k.to_account_id(), k.public().into(), grandpa.public().into())
}

/// Hex to bytes at compile time.
macro_rules! hex_literal {
	($s:literal) => {{
		const fn nibble(c: u8) -> u8 {
			match c {
				b'0'..=b'9' => c - b'0',
				b'a'..=b'f' => c - b'a' + 10,
				_ => panic!("not lower-case hex"),
			}
		}
		const B: &[u8] = $s.as_bytes();
		let mut out = [0u8; 32];
		let mut i = 0;
		while i < 32 {
			out[i] = nibble(B[2 * i]) << 4 | nibble(B[2 * i + 1]);
			i += 1;
		}
		out
	}};
}

/// The peer ids of the well-known development node keys: node key `0x00…0i` (ed25519 secret
/// `i`) gives peer id `PEER_IDS[i - 1]`, as multihash bytes. Alice's node uses key 1
/// (`12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp`), Bob's 2
/// (`12D3KooWHdiAxVd8uMQR1hGWXccidmfCwLqcMpGwR6QcTP6QRMuD`), Charlie's 3
/// (`12D3KooWSCufgHzV4fCwRijfH2k3abrpAJxTKxEvN1FDuRXA2U9x`), Dave's 4
/// (`12D3KooWSsChzF81YDUKpe9Uk5AHV5oqAaXAcWNSPYgoLauUk4st`).
pub const PEER_IDS: [[u8; 38]; 4] = [
	peer(hex_literal!("4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29")),
	peer(hex_literal!("7422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674")),
	peer(hex_literal!("f381626e41e7027ea431bfe3009e94bdd25a746beec468948d6c3c7c5dc9a54b")),
	peer(hex_literal!("fd50b8e3b144ea244fbf7737f550bc8dd0c2650bbc1aada833ca17ff8dbf329b")),
];

/// A libp2p peer id (identity multihash of a protobuf-encoded ed25519 public key).
const fn peer(ed25519_public: [u8; 32]) -> [u8; 38] {
	let mut out = [0u8; 38];
	let prefix = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
	let mut i = 0;
	while i < 6 {
		out[i] = prefix[i];
		i += 1;
	}
	while i < 38 {
		out[i] = ed25519_public[i - 6];
		i += 1;
	}
	out
}

/// Market timing: blocks per settlement period and per reward era.
struct Timing {
	period_blocks: u32,
	era_blocks: u32,
}

/// Commission: platform 10 %, each hub 2 %, reseller 3 %, reward pool 5 %.
fn rates() -> CommissionRates {
	CommissionRates {
		platform_ppm: 100_000,
		provider_hub_ppm: 20_000,
		buyer_hub_ppm: 20_000,
		reseller_ppm: 30_000,
		reward_pool_ppm: 50_000,
	}
}

/// Score weights: per unit delivered for a period, 0.01 for a CPU core, 0.1 for a GPU, 0.001
/// per GiB of memory or storage, 0.001 per Mbit/s, 0.01 per GH/s; availability and SLA met
/// weigh 1.0 each.
fn score_weights() -> ScoreWeights {
	ScoreWeights {
		resource: [10_000, 100_000, 1_000, 1_000, 1_000, 10_000],
		availability: 1_000_000,
		sla_met: 1_000_000,
	}
}

fn genesis(
	validators: Vec<(AccountId, AuraId, GrandpaId)>,
	council: Vec<AccountId>,
	endowed: Vec<AccountId>,
	root: Option<AccountId>,
	timing: Timing,
) -> Value {
	// Every validator is a founding member: a hub operator (an interconnection node) whose
	// node is on the authorised list.
	let members = validators
		.iter()
		.enumerate()
		.map(|(i, v)| {
			(v.0.clone(), Role::HubOperator, alloc::format!("Hub {}", i + 1).into_bytes(), None)
		})
		.collect::<Vec<_>>();
	let nodes = validators
		.iter()
		.zip(PEER_IDS.iter())
		.map(|(v, p)| (PeerId(p.to_vec()), v.0.clone()))
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.iter().cloned().map(|a| (a, ENDOWMENT)).collect::<Vec<_>>(),
		},
		validator_set: ValidatorSetConfig {
			validators: validators.iter().map(|v| v.0.clone()).collect::<Vec<_>>(),
		},
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|(acc, aura, grandpa)| {
					(
						acc.clone(),
						acc.clone(),
						SessionKeys { aura: aura.clone(), grandpa: grandpa.clone() },
					)
				})
				.collect::<Vec<_>>(),
		},
		council_membership: CouncilMembershipConfig {
			members: council.try_into().expect("council fits")
		},
		identity: IdentityConfig { members },
		node_authorization: NodeAuthorizationConfig { nodes },
		sudo: SudoConfig { key: root },
		commission: CommissionConfig {
			rates: rates(),
			weights: score_weights(),
			era_blocks: timing.era_blocks,
		},
		bill: BillConfig { period_blocks: timing.period_blocks },
	})
}

fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter().map(|k| k.to_account_id()).collect()
}

fn council() -> Vec<AccountId> {
	vec![
		Sr25519Keyring::Alice.to_account_id(),
		Sr25519Keyring::Bob.to_account_id(),
		Sr25519Keyring::Charlie.to_account_id(),
	]
}

/// The `dev` preset: a single validator with sudo.
pub fn development_config_genesis() -> Value {
	genesis(
		vec![validator(Sr25519Keyring::Alice)],
		council(),
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		// Short periods and eras so that a whole lease can be watched in minutes.
		Timing { period_blocks: 5, era_blocks: 30 },
	)
}

/// The `local` preset: four validators, council governance, no sudo.
pub fn local_config_genesis() -> Value {
	genesis(
		vec![
			validator(Sr25519Keyring::Alice),
			validator(Sr25519Keyring::Bob),
			validator(Sr25519Keyring::Charlie),
			validator(Sr25519Keyring::Dave),
		],
		council(),
		dev_accounts(),
		None,
		// Hourly settlement, daily reward eras.
		Timing { period_blocks: crate::HOURS, era_blocks: crate::DAYS },
	)
}

/// The preset with the given name, as JSON.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_PRESET | sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		LOCAL_PRESET | sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_PRESET), PresetId::from(LOCAL_PRESET)]
}
