//! Network permission from the first moment.
//!
//! The runtime's node-authorization pallet keeps the consortium's list of nodes; its off-chain
//! worker hands the list to the network layer on every imported block. A freshly started node
//! has imported nothing yet, so until then it would accept any peer. This module closes that
//! window: before the node takes part in the network, it reads the list from its best block and
//! switches the network to authorised-only with exactly those peers (the well-known nodes and
//! this node's own additional connections). A chain whose list is empty stays open.
use codec::{Decode, Encode};
use sc_client_api::{backend::StorageProvider, Backend, HeaderBackend};
use sc_network::{service::traits::NetworkService, NetworkPeers, NetworkStateInfo, PeerId};
use sp_core::storage::StorageKey;
use sp_runtime::traits::Block as BlockT;
use std::{
	collections::{BTreeSet, HashSet},
	sync::Arc,
};

const PALLET: &[u8] = b"NodeAuthorization";

fn value_key(item: &[u8]) -> Vec<u8> {
	let mut k = sp_io::hashing::twox_128(PALLET).to_vec();
	k.extend_from_slice(&sp_io::hashing::twox_128(item));
	k
}

fn map_key(item: &[u8], key: &[u8]) -> Vec<u8> {
	let encoded = key.to_vec().encode();
	let mut k = value_key(item);
	k.extend_from_slice(&sp_io::hashing::blake2_128(&encoded));
	k.extend_from_slice(&encoded);
	k
}

/// The peers this node may talk to according to the chain's best state, or `None` if the chain
/// keeps no list.
pub fn authorized_peers<B, BE, C>(client: &C, local: &PeerId) -> Option<HashSet<PeerId>>
where
	B: BlockT,
	BE: Backend<B>,
	C: StorageProvider<B, BE> + HeaderBackend<B>,
{
	let best = client.info().best_hash;
	let read = |key: Vec<u8>| -> BTreeSet<Vec<u8>> {
		client
			.storage(best, &StorageKey(key))
			.ok()
			.flatten()
			.and_then(|data| BTreeSet::<Vec<u8>>::decode(&mut &data.0[..]).ok())
			.unwrap_or_default()
	};
	let mut raw = read(value_key(b"WellKnownNodes"));
	if raw.is_empty() {
		return None;
	}
	raw.extend(read(map_key(b"AdditionalConnections", &local.to_bytes())));
	Some(raw.iter().filter_map(|b| PeerId::from_bytes(b).ok()).filter(|p| p != local).collect())
}

/// Switch `network` to the chain's authorised peers before it syncs anything.
pub fn apply_at_start<B, BE, C>(client: &Arc<C>, network: &Arc<dyn NetworkService>)
where
	B: BlockT,
	BE: Backend<B>,
	C: StorageProvider<B, BE> + HeaderBackend<B>,
{
	let local = network.local_peer_id();
	match authorized_peers(&**client, &local) {
		Some(peers) => {
			log::info!(
				target: "computility::permission",
				"🔒 Consortium network: {} authorised peer(s); other nodes are refused",
				peers.len()
			);
			network.set_authorized_peers(peers);
			network.set_authorized_only(true);
		},
		None => log::warn!(
			target: "computility::permission",
			"the chain lists no authorised nodes: the network is open to any peer"
		),
	}
}
