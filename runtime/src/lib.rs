//! # Computility runtime
//!
//! The state machine of the Computility consortium chain: Aura block production and GRANDPA
//! finality over a governed validator set (`pallet-session` fed by `pallet-validator-set`), a
//! consortium council (`pallet-collective` + `pallet-membership`) as the governance origin,
//! balances and transaction payment. `sudo` exists only so that the `dev` preset has a key;
//! the `local` preset sets none.
//!
//! Layout: `configs/` holds every `impl Config`, `apis.rs` the runtime APIs,
//! `genesis_config_presets.rs` the `dev` and `local` presets, `benchmarks.rs` the benchmark list.
#![cfg_attr(not(feature = "std"), no_std)]
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// Declared first: its `define_benchmarks!` macros are used by `apis`.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;

/// Block number.
pub type BlockNumber = u32;
/// Transaction signature: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account: the public key of the signature scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// A balance, in the chain's smallest unit.
pub type Balance = u128;
/// Transaction counter of an account.
pub type Nonce = u32;
/// Block and state hash.
pub type Hash = sp_core::H256;

/// One unit of the native token (12 decimals).
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a unit.
pub const MILLI_UNIT: Balance = UNIT / 1_000;
/// The smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Target block time. Aura slots are this long; it cannot change once a chain has started.
pub const MILLISECS_PER_BLOCK: u64 = 6_000;
/// Aura slot length.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Types the node needs without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Block identifier.
	pub type BlockId = generic::BlockId<Block>;

	impl_opaque_keys! {
		/// The keys a validator registers with `session.setKeys`.
		pub struct SessionKeys {
			/// Block authoring.
			pub aura: Aura,
			/// Finality voting.
			pub grandpa: Grandpa,
		}
	}
}
pub use opaque::SessionKeys;

#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("computility"),
	impl_name: alloc::borrow::Cow::Borrowed("computility"),
	authoring_version: 1,
	spec_version: 101,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type TransactionPayment = pallet_transaction_payment;
	// The validator set must precede Session: its genesis is read by the session's genesis.
	#[runtime::pallet_index(4)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(5)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(6)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(7)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(8)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(9)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(10)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(11)]
	pub type NodeAuthorization = pallet_node_authorization;

	// ---- Computility market ----
	#[runtime::pallet_index(20)]
	pub type Identity = pallet_consortium_identity;
	#[runtime::pallet_index(21)]
	pub type Agreement = pallet_agreement;
	#[runtime::pallet_index(22)]
	pub type Order = pallet_order;
	#[runtime::pallet_index(23)]
	pub type Commission = pallet_commission;
	#[runtime::pallet_index(24)]
	pub type Bill = pallet_bill;
	#[runtime::pallet_index(25)]
	pub type Hashpower = pallet_hashpower;
}

/// Account address format: accounts and indices.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// The transaction extensions, checked in this order for every signed transaction.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	pallet_consortium_identity::extension::CheckMembership<Runtime>,
);
/// A transaction as it arrives.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// What a transaction's signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;
/// Migrations beyond the pallets' own.
type Migrations = ();
/// Dispatches blocks and transactions to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;
