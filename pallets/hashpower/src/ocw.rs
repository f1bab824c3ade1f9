//! The scheduling module: the node's off-chain worker dispatches the sub-account being served
//! to the miner servers whose scheduler key the node holds, and submits the shares they found.
//!
//! Per block and per such miner: `GET {endpoint}/shares?max=N` (bearer token from the node's
//! persistent off-chain storage under `computility::miner-token::<miner id>`, set by the
//! operator with `offchain_localStorageSet`); if the miner is not working the current job (it
//! restarted, or the job changed) `POST {endpoint}/job`; the shares of the current job are
//! submitted as [`Call::submit_shares`](crate::Call::submit_shares), signed by the scheduler key.
use crate::{pallet::*, types::*};
use alloc::{format, string::String, vec::Vec};
use frame_support::{traits::Get, BoundedVec};
use frame_system::{
	offchain::{SendUnsignedTransaction, Signer},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::offchain::{http, Duration, StorageKind};

/// Off-chain storage key of a miner's bearer token.
pub fn token_key(miner: MinerId) -> Vec<u8> {
	format!("computility::miner-token::{miner}").into_bytes()
}

#[derive(serde::Deserialize)]
struct SharesReply {
	job_id: Option<u64>,
	shares: Vec<ShareReply>,
}

#[derive(serde::Deserialize)]
struct ShareReply {
	job_id: u64,
	extranonce1: String,
	extranonce2: String,
	difficulty: u64,
	ntime: u32,
	nonce: u32,
	version_bits: Option<u32>,
}

fn hex(b: &[u8]) -> String {
	b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
	if s.len() % 2 != 0 {
		return None;
	}
	(0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// The body of `POST /job`.
pub fn job_body(job: JobId, task: &MiningTask, extranonce1: &[u8]) -> String {
	let branch: Vec<String> =
		task.merkle_branch.iter().map(|h| format!("\"{}\"", hex(h))).collect();
	format!(
		"{{\"job_id\":{job},\"prev_hash\":\"{}\",\"coinbase1\":\"{}\",\"coinbase2\":\"{}\",\"merkle_branch\":[{}],\"version\":{},\"nbits\":{},\"ntime\":{},\"difficulty\":{},\"extranonce1\":\"{}\",\"extranonce2_size\":{}}}",
		hex(&task.prev_hash),
		hex(&task.coinbase1),
		hex(&task.coinbase2),
		branch.join(","),
		task.version,
		task.nbits,
		task.ntime,
		task.difficulty,
		hex(extranonce1),
		task.extranonce2_size,
	)
}

fn request(url: &str, token: &str, body: Option<String>) -> Result<Vec<u8>, &'static str> {
	let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(2_000));
	let auth = format!("Bearer {token}");
	let pending = match body {
		Some(b) => http::Request::post(url, alloc::vec![b.into_bytes()])
			.add_header("Content-Type", "application/json")
			.add_header("Authorization", &auth)
			.deadline(deadline)
			.send(),
		None => {
			http::Request::get(url).add_header("Authorization", &auth).deadline(deadline).send()
		},
	}
	.map_err(|_| "cannot send the request")?;
	let response = pending
		.try_wait(deadline)
		.map_err(|_| "no answer in time")?
		.map_err(|_| "request failed")?;
	if response.code != 200 {
		return Err("the miner answered with an error");
	}
	Ok(response.body().collect())
}

/// The local scheduler key whose account is `account`, if this node holds it.
fn local_key<T: Config>(account: &T::AccountId) -> Option<T::Public> {
	use frame_system::offchain::AppCrypto;
	use sp_runtime::{traits::IdentifyAccount, RuntimeAppPublic};
	type Runtime<T> = <<T as Config>::AuthorityId as AppCrypto<
		<T as frame_system::offchain::SigningTypes>::Public,
		<T as frame_system::offchain::SigningTypes>::Signature,
	>>::RuntimeAppPublic;
	type Generic<T> = <<T as Config>::AuthorityId as AppCrypto<
		<T as frame_system::offchain::SigningTypes>::Public,
		<T as frame_system::offchain::SigningTypes>::Signature,
	>>::GenericPublic;
	Runtime::<T>::all().into_iter().find_map(|k| {
		let generic: Generic<T> = k.into();
		let public: T::Public = generic.into();
		(public.clone().into_account() == *account).then_some(public)
	})
}

/// Dispatch every active miner this node schedules.
pub fn run<T: Config>(n: BlockNumberFor<T>) {
	let Some((_, sub)) = Pallet::<T>::serving() else { return };
	for id in ActiveMiners::<T>::get() {
		let Some(m) = Miners::<T>::get(id) else { continue };
		let Some(key) = local_key::<T>(&m.scheduler) else { continue };
		let signer = Signer::<T, T::AuthorityId>::any_account().with_filter(alloc::vec![key]);
		match dispatch::<T>(n, id, &m, &sub, &signer) {
			Ok(0) => {},
			Ok(k) => {
				log::info!(target: "hashpower", "miner {id}: submitted {k} shares for job {}", sub.job)
			},
			Err(e) => log::warn!(target: "hashpower", "miner {id}: {e}"),
		}
	}
}

fn dispatch<T: Config>(
	n: BlockNumberFor<T>,
	id: MinerId,
	m: &MinerOf<T>,
	sub: &SubAccountOf<T>,
	signer: &Signer<T, T::AuthorityId, frame_system::offchain::ForAny>,
) -> Result<usize, &'static str> {
	let token = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &token_key(id))
		.ok_or("no bearer token in off-chain storage")?;
	let token = core::str::from_utf8(&token).map_err(|_| "the token is not UTF-8")?;
	let endpoint = core::str::from_utf8(&m.endpoint).map_err(|_| "the endpoint is not UTF-8")?;
	let endpoint = endpoint.trim_end_matches('/');
	let max = T::MaxShares::get().min(MAX_SHARES);
	let reply = request(&format!("{endpoint}/shares?max={max}"), token, None)?;
	let reply: SharesReply = serde_json::from_slice(&reply).map_err(|_| "malformed shares")?;
	if reply.job_id != Some(sub.job) {
		request(
			&format!("{endpoint}/job"),
			token,
			Some(job_body(sub.job, &sub.task, &m.extranonce1)),
		)?;
	}
	let shares: Vec<ShareData> = reply
		.shares
		.into_iter()
		.filter(|s| s.job_id == sub.job)
		.filter_map(|s| {
			Some(ShareData {
				extranonce1: unhex(&s.extranonce1)?.try_into().ok()?,
				extranonce2: unhex(&s.extranonce2)?.try_into().ok()?,
				ntime: s.ntime,
				nonce: s.nonce,
				version_bits: s.version_bits,
				difficulty: s.difficulty,
			})
		})
		.collect();
	if shares.is_empty() {
		return Ok(0);
	}
	let count = shares.len();
	let shares: BoundedVec<ShareData, frame_support::pallet_prelude::ConstU32<MAX_SHARES>> =
		BoundedVec::truncate_from(shares);
	let job = sub.job;
	let (_, res) = signer
		.send_unsigned_transaction(
			|account| SharesPayload {
				public: account.public.clone(),
				miner: id,
				job,
				block_number: n,
				shares: shares.clone(),
			},
			|payload, signature| Call::submit_shares { payload, signature },
		)
		.ok_or("no scheduler key")?;
	res.map_err(|_| "the pool refused the shares")?;
	Ok(count)
}
