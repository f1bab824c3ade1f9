//! The genesis presets build, and give the validator sets, council and sudo key that the README
//! promises: `dev` one validator with sudo, `local` four validators, a council of three, no sudo.
use computility_runtime::{
	genesis_config_presets::{get_preset, preset_names, DEV_PRESET, ENDOWMENT, LOCAL_PRESET},
	AccountId, Runtime, RuntimeGenesisConfig,
};
use frame_support::{genesis_builder_helper::build_state, traits::fungible::Inspect};
use sp_keyring::Sr25519Keyring;

fn ext(preset: &str) -> sp_io::TestExternalities {
	// The preset is a patch over the default genesis; merge it as the node's chain spec does.
	let patch: serde_json::Value =
		serde_json::from_slice(&get_preset(&preset.into()).expect("preset exists")).unwrap();
	let mut full = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut full, patch);
	let json = serde_json::to_vec(&full).unwrap();
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| build_state::<RuntimeGenesisConfig>(json).expect("preset builds"));
	ext
}

fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
			for (k, v) in p {
				merge(b.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(b, p) => *b = p,
	}
}

fn accounts(keys: &[Sr25519Keyring]) -> Vec<AccountId> {
	keys.iter().map(|k| k.to_account_id()).collect()
}

#[test]
fn preset_names_are_dev_and_local() {
	let names: Vec<String> =
		preset_names().into_iter().map(|p| String::from_utf8(p.into()).unwrap()).collect();
	assert_eq!(names, vec![DEV_PRESET.to_string(), LOCAL_PRESET.to_string()]);
	assert!(get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn dev_preset_has_one_validator_and_sudo() {
	ext(DEV_PRESET).execute_with(|| {
		use Sr25519Keyring::*;
		assert_eq!(
			pallet_validator_set::Validators::<Runtime>::get().into_inner(),
			accounts(&[Alice])
		);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), accounts(&[Alice]));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Alice.to_account_id()));
		assert_eq!(pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(), {
			let mut c = accounts(&[Alice, Bob, Charlie]);
			c.sort();
			c
		});
	});
}

#[test]
fn local_preset_has_four_validators_council_and_no_sudo() {
	ext(LOCAL_PRESET).execute_with(|| {
		use Sr25519Keyring::*;
		let four = accounts(&[Alice, Bob, Charlie, Dave]);
		assert_eq!(pallet_validator_set::Validators::<Runtime>::get().into_inner(), four);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), four);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get().len(),
			3
		);
		// Every validator is an approved founding member, and its node is on the list.
		use computility_primitives::{IdentityRegistry, Role};
		for v in &four {
			assert!(computility_runtime::Identity::is_active_with_role(v, Role::HubOperator));
		}
		assert_eq!(pallet_node_authorization::WellKnownNodes::<Runtime>::get().len(), 4);
		for k in Sr25519Keyring::iter() {
			// Founding members' deposits are held from their endowment.
			assert_eq!(
				pallet_balances::Pallet::<Runtime>::total_balance(&k.to_account_id()),
				ENDOWMENT
			);
		}
	});
}

#[test]
fn runtime_configuration_is_sane() {
	ext(LOCAL_PRESET).execute_with(|| {
		<computility_runtime::AllPalletsWithSystem as frame_support::traits::IntegrityTest>::integrity_test();
	});
}
