//! Genesis presets.
//!
//! - `dev`: one validator (Alice), sudo (Alice), a council of Alice, Bob and Charlie.
//! - `local`: four validators (Alice, Bob, Charlie, Dave) so that GRANDPA tolerates one fault,
//!   a council of Alice, Bob and Charlie, and no sudo key.
//!
//! The well-known development accounts are endowed in both.
use crate::{
	AccountId, BalancesConfig, CouncilMembershipConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, SudoConfig, ValidatorSetConfig, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
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

fn genesis(
	validators: Vec<(AccountId, AuraId, GrandpaId)>,
	council: Vec<AccountId>,
	endowed: Vec<AccountId>,
	root: Option<AccountId>,
) -> Value {
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
		council_membership: CouncilMembershipConfig { members: council.try_into().expect("council fits") },
		sudo: SudoConfig { key: root },
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
