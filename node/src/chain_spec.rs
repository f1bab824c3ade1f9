//! Chain specifications built from the runtime's genesis presets.
use computility_runtime::{genesis_config_presets as presets, WASM_BINARY};
use sc_service::ChainType;

/// A chain specification of this chain (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

fn properties() -> sc_service::Properties {
	let mut p = sc_service::Properties::new();
	p.insert("tokenSymbol".into(), "CPT".into());
	p.insert("tokenDecimals".into(), 12.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "the runtime WASM binary was not built".to_string())
}

/// `--chain dev`: a single validator (Alice) with sudo, for development.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Computility Development")
		.with_id("computility_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(presets::DEV_PRESET)
		.with_properties(properties())
		.build())
}

/// `--chain local`: four validators (Alice, Bob, Charlie, Dave) governed by a council of three.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Computility Local Consortium")
		.with_id("computility_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(presets::LOCAL_PRESET)
		.with_properties(properties())
		.build())
}
