//! The scheduling module: the node's off-chain worker dispatches the sub-account being served
//! to the miner servers whose scheduler key the node holds, and submits the shares they found.
//!
//! Per block and per such miner: `GET {endpoint}/shares?max=N` (bearer token from the node's
//! persistent off-chain storage under `computility::miner-token::<miner id>`, set by the
//! operator with `offchain_localStorageSet`); if the miner is not working the current job (it
//! restarted, or the job changed) `POST {endpoint}/job`; the shares of the current job are
//! submitted as [`Call::submit_shares`](crate::Call::submit_shares), signed by the scheduler key.
//!
//! For a sub-account served by its own pool the job sent is the pool (URL, worker name, the
//! password from off-chain storage under `computility::pool-password::<sub-account id>`, `x`
//! when there is none, and the least difficulty credited): the miner server connects to the pool
//! itself. It answers `/shares` with the shares of one pool job at a time and that job, which
//! goes on chain with them.
//!
//! The standby of each active miner whose key the node holds is kept **warm**: it is sent the
//! same job marked `standby` (`GET /status` tells whether it has it), so that it holds the pool
//! connection and the job, serves downstream miners that reconnect to it when the primary fails
//! (its built-in workers idle), and keeps their shares until the chain activates it; then the
//! job is sent again without the mark and its shares are submitted.
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

/// Off-chain storage key of the password of a sub-account's pool worker.
pub fn pool_password_key(sub_account: SubAccountId) -> Vec<u8> {
	format!("computility::pool-password::{sub_account}").into_bytes()
}

#[derive(serde::Deserialize)]
struct SharesReply {
	job_id: Option<u64>,
	#[serde(default)]
	standby: bool,
	shares: Vec<ShareReply>,
	#[serde(default)]
	pool_job: Option<PoolJobReply>,
}

/// What the scheduler reads of a standby's `GET /status`.
#[derive(serde::Deserialize)]
struct StatusReply {
	chain_job: Option<u64>,
	#[serde(default)]
	standby: bool,
}

/// A pool's job as the miner server relays it (hex byte strings, hashes in header order).
#[derive(serde::Deserialize)]
struct PoolJobReply {
	prev_hash: String,
	coinbase1: String,
	coinbase2: String,
	merkle_branch: Vec<String>,
	version: u32,
	nbits: u32,
	ntime: u32,
	difficulty: u64,
	extranonce2_size: u8,
}

impl PoolJobReply {
	fn into_task(self) -> Option<MiningTask> {
		let hash = |h: &str| -> Option<[u8; 32]> { unhex(h)?.try_into().ok() };
		Some(MiningTask {
			prev_hash: hash(&self.prev_hash)?,
			coinbase1: unhex(&self.coinbase1)?.try_into().ok()?,
			coinbase2: unhex(&self.coinbase2)?.try_into().ok()?,
			merkle_branch: self
				.merkle_branch
				.iter()
				.map(|h| hash(h))
				.collect::<Option<Vec<_>>>()?
				.try_into()
				.ok()?,
			version: self.version,
			nbits: self.nbits,
			ntime: self.ntime,
			difficulty: self.difficulty,
			extranonce2_size: self.extranonce2_size,
		})
	}
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

/// A JSON string literal of `b` (`None` if it is not UTF-8).
fn json_str(b: &[u8]) -> Option<String> {
	let s = core::str::from_utf8(b).ok()?;
	let mut out = String::from("\"");
	for c in s.chars() {
		match c {
			'"' => out.push_str("\\\""),
			'\\' => out.push_str("\\\\"),
			c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
			c => out.push(c),
		}
	}
	out.push('"');
	Some(out)
}

/// The body of `POST /job` for a sub-account served by its pool.
pub fn pool_job_body(
	job: JobId,
	centre: &[u8],
	worker: &[u8],
	password: &[u8],
	difficulty: u64,
) -> Option<String> {
	Some(format!(
		"{{\"job_id\":{job},\"pool\":{{\"url\":{},\"worker\":{},\"password\":{}}},\"difficulty\":{difficulty}}}",
		json_str(centre)?,
		json_str(worker)?,
		json_str(password)?,
	))
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

/// Dispatch every active miner this node schedules, and keep their standbys warm.
pub fn run<T: Config>(n: BlockNumberFor<T>) {
	let Some((sub_id, sub)) = Pallet::<T>::serving() else { return };
	for id in ActiveMiners::<T>::get() {
		let Some(m) = Miners::<T>::get(id) else { continue };
		let standby = m
			.standby
			.and_then(|s| Miners::<T>::get(s).map(|x| (s, x)))
			.filter(|(_, x)| x.state == MinerState::Standby);
		if let Some((s, sm)) = standby {
			if local_key::<T>(&sm.scheduler).is_some() {
				match warm::<T>(s, &sm, sub_id, &sub) {
					Ok(true) => {
						log::info!(target: "hashpower", "standby {s}: sent job {}", sub.job)
					},
					Ok(false) => {},
					Err(e) => log::warn!(target: "hashpower", "standby {s}: {e}"),
				}
			}
		}
		let Some(key) = local_key::<T>(&m.scheduler) else { continue };
		let signer = Signer::<T, T::AuthorityId>::any_account().with_filter(alloc::vec![key]);
		match dispatch::<T>(n, id, &m, sub_id, &sub, &signer) {
			Ok(0) => {},
			Ok(k) => {
				log::info!(target: "hashpower", "miner {id}: submitted {k} shares for job {}", sub.job)
			},
			Err(e) => log::warn!(target: "hashpower", "miner {id}: {e}"),
		}
	}
}

/// A miner's bearer token (from off-chain storage) and endpoint.
fn access<T: Config>(id: MinerId, m: &MinerOf<T>) -> Result<(String, String), &'static str> {
	let token = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &token_key(id))
		.ok_or("no bearer token in off-chain storage")?;
	let token = String::from_utf8(token).map_err(|_| "the token is not UTF-8")?;
	let endpoint = core::str::from_utf8(&m.endpoint).map_err(|_| "the endpoint is not UTF-8")?;
	Ok((token, String::from(endpoint.trim_end_matches('/'))))
}

/// The `POST /job` body of the sub-account being served, for miner `m`.
fn job_for<T: Config>(
	m: &MinerOf<T>,
	sub_id: SubAccountId,
	sub: &SubAccountOf<T>,
) -> Result<String, &'static str> {
	Ok(match &sub.source {
		JobSource::Task(task) => job_body(sub.job, task, &m.extranonce1),
		JobSource::Pool(p) => {
			let password = sp_io::offchain::local_storage_get(
				StorageKind::PERSISTENT,
				&pool_password_key(sub_id),
			)
			.unwrap_or_else(|| b"x".to_vec());
			pool_job_body(sub.job, &sub.centre, &sub.worker, &password, p.difficulty)
				.ok_or("the pool's URL, worker or password is not UTF-8")?
		},
	})
}

/// A job body marked for a warm standby.
pub fn standby_body(body: &str) -> String {
	match body.strip_suffix('}') {
		Some(b) => format!("{b},\"standby\":true}}"),
		None => String::from(body),
	}
}

/// Keep a standby warm; whether it was sent the job.
fn warm<T: Config>(
	id: MinerId,
	m: &MinerOf<T>,
	sub_id: SubAccountId,
	sub: &SubAccountOf<T>,
) -> Result<bool, &'static str> {
	let (token, endpoint) = access::<T>(id, m)?;
	let status = request(&format!("{endpoint}/status"), &token, None)?;
	let status: StatusReply = serde_json::from_slice(&status).map_err(|_| "malformed status")?;
	if status.chain_job == Some(sub.job) && status.standby {
		return Ok(false);
	}
	let body = standby_body(&job_for::<T>(m, sub_id, sub)?);
	request(&format!("{endpoint}/job"), &token, Some(body))?;
	Ok(true)
}

fn dispatch<T: Config>(
	n: BlockNumberFor<T>,
	id: MinerId,
	m: &MinerOf<T>,
	sub_id: SubAccountId,
	sub: &SubAccountOf<T>,
	signer: &Signer<T, T::AuthorityId, frame_system::offchain::ForAny>,
) -> Result<usize, &'static str> {
	let (token, endpoint) = access::<T>(id, m)?;
	let token = token.as_str();
	let max = T::MaxShares::get().min(MAX_SHARES);
	let reply = request(&format!("{endpoint}/shares?max={max}"), token, None)?;
	let reply: SharesReply = serde_json::from_slice(&reply).map_err(|_| "malformed shares")?;
	// Not on the job, or still standing by (a standby the chain just activated).
	if reply.job_id != Some(sub.job) || reply.standby {
		request(&format!("{endpoint}/job"), token, Some(job_for::<T>(m, sub_id, sub)?))?;
	}
	let pool_job = match &sub.source {
		JobSource::Task(_) => None,
		JobSource::Pool(_) => match reply.pool_job.map(PoolJobReply::into_task) {
			Some(Some(task)) => Some(task),
			Some(None) => return Err("malformed pool job"),
			None => return Ok(0),
		},
	};
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
				pool_job: pool_job.clone(),
				shares: shares.clone(),
			},
			|payload, signature| Call::submit_shares { payload, signature },
		)
		.ok_or("no scheduler key")?;
	res.map_err(|_| "the pool refused the shares")?;
	Ok(count)
}
