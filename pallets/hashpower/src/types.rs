//! Miner servers, sub-accounts, Stratum-shaped tasks and shares.
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// Miner server identifier.
pub type MinerId = u32;
/// Sub-account (hashrate buyer's order) identifier.
pub type SubAccountId = u32;
/// Job identifier: a new one whenever the task served changes (Stratum's `clean_jobs`).
pub type JobId = u64;
/// An endpoint, URL or worker name (at most 128 bytes).
pub type Endpoint = BoundedVec<u8, ConstU32<128>>;
/// Most shares one submission can carry (the runtime may allow fewer).
pub const MAX_SHARES: u32 = 64;

/// Where a miner server stands.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum MinerState {
	/// Dispatched: works the sub-account being served.
	Active,
	/// Waits to replace its primary.
	Standby,
	/// Failed or under-delivered; its standby took over.
	Failed,
	/// Withdrawn by its provider.
	Retired,
}

/// A miner server registered by a provider.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Miner<AccountId, BlockNumber> {
	/// The provider that runs it (paid for its work).
	pub provider: AccountId,
	/// Its HTTP endpoint (e.g. `http://10.0.0.5:8081`).
	pub endpoint: Endpoint,
	/// Hashrate it promises, hashes per second.
	pub declared_hashrate: u64,
	/// The account of the off-chain worker key that dispatches it (held by a node of the
	/// provider's).
	pub scheduler: AccountId,
	/// The miner that takes over if it fails.
	pub standby: Option<MinerId>,
	/// Where it stands.
	pub state: MinerState,
	/// Its part of the search space (extranonce1): its id, big-endian.
	pub extranonce1: [u8; 4],
	/// Start of the current delivery window.
	pub window_start: BlockNumber,
	/// Work credited in the current window (hashes).
	pub window_work: u128,
	/// Shares accepted, all time.
	pub accepted: u64,
	/// Work credited, all time (hashes).
	pub work: u128,
}

/// What a sub-account asks miners to work: the fields of Stratum's `mining.notify`, and the
/// share difficulty.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct MiningTask {
	/// Previous block hash (header byte order).
	pub prev_hash: [u8; 32],
	/// Coinbase before the extranonces.
	pub coinbase1: BoundedVec<u8, ConstU32<256>>,
	/// Coinbase after the extranonces.
	pub coinbase2: BoundedVec<u8, ConstU32<256>>,
	/// Merkle branch (header byte order), from the coinbase up.
	pub merkle_branch: BoundedVec<[u8; 32], ConstU32<16>>,
	/// Block version.
	pub version: u32,
	/// Network target, compact.
	pub nbits: u32,
	/// Block time.
	pub ntime: u32,
	/// Share difficulty in units of 1/65536 (65536 = difficulty 1 = 2^32 hashes a share).
	pub difficulty: u64,
	/// Bytes of extranonce2 (1 to 8).
	pub extranonce2_size: u8,
}

impl MiningTask {
	/// Within range: a difficulty, an extranonce2 size of 1 to 8.
	pub fn is_valid(&self) -> bool {
		self.difficulty > 0 && (1..=8).contains(&self.extranonce2_size)
	}

	/// As the share-checking core sees it.
	pub fn job(&self) -> computility_pow::Job<'_> {
		computility_pow::Job {
			prev_hash: self.prev_hash,
			coinbase1: &self.coinbase1,
			coinbase2: &self.coinbase2,
			merkle_branch: &self.merkle_branch,
			version: self.version,
			nbits: self.nbits,
			ntime: self.ntime,
		}
	}
}

/// What the miners of a sub-account served by the buyer's own Stratum pool must deliver.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct PoolTerms {
	/// Least share difficulty credited on chain, in units of 1/65536 (the pool's own difficulty
	/// may be higher: only shares meeting it are forwarded to the pool).
	pub difficulty: u64,
	/// Bytes every pool job's coinbase must contain (typically the pool's payout script), so
	/// that the work credited can only pay the buyer's pool; empty: not checked.
	pub payout: BoundedVec<u8, ConstU32<64>>,
}

/// Where the jobs of a sub-account come from.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum JobSource {
	/// The buyer gives the task on chain; the scheduler sends it to the miners.
	Task(MiningTask),
	/// The buyer's Stratum pool (the sub-account's distribution centre, `stratum+tcp://host:port`,
	/// with its worker name) gives the jobs: the miner server connects to it as a Stratum
	/// client, relays its jobs and forwards the shares that meet its difficulty; the scheduler
	/// submits each pool job with the shares found for it.
	Pool(PoolTerms),
}

impl JobSource {
	/// Least share difficulty credited.
	pub fn difficulty(&self) -> u64 {
		match self {
			JobSource::Task(t) => t.difficulty,
			JobSource::Pool(p) => p.difficulty,
		}
	}

	/// Within range (see [`MiningTask::is_valid`]; a pool's difficulty is not 0).
	pub fn is_valid(&self) -> bool {
		match self {
			JobSource::Task(t) => t.is_valid(),
			JobSource::Pool(p) => p.difficulty > 0,
		}
	}
}

/// Whether `needle` occurs in `hay` (an empty needle always does).
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
	needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// The URL prefix of a Stratum pool.
pub const STRATUM_SCHEME: &[u8] = b"stratum+tcp://";

/// Where a sub-account stands.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum SubAccountState {
	/// Waiting in the queue, or being served (the queue's head).
	Open,
	/// Up to standard: all the work bought was delivered.
	Done,
	/// Withdrawn by its buyer; the unspent escrow returned.
	Cancelled,
}

/// A hashrate buyer's order: work bought at a price, the task to work, where the work goes.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct SubAccount<AccountId, Balance> {
	/// Who buys.
	pub buyer: AccountId,
	/// The standard: work bought, in hashes.
	pub standard: u128,
	/// Price per 2^32 hashes (a difficulty-1 share).
	pub price: Balance,
	/// Escrowed at creation.
	pub escrow: Balance,
	/// Paid to providers so far.
	pub paid: Balance,
	/// Work credited so far, in hashes.
	pub work: u128,
	/// The task given on chain, or the terms of the buyer's pool.
	pub source: JobSource,
	/// The current job (for a pool: the chain's id for the whole time it is served).
	pub job: JobId,
	/// The distribution centre the work is for (a pool endpoint; required for [`JobSource::Pool`]).
	pub centre: Endpoint,
	/// Worker name at the distribution centre.
	pub worker: Endpoint,
	/// Where it stands.
	pub state: SubAccountState,
}

/// A share as submitted: Stratum's `mining.submit` with the connection's extranonce1 and the
/// difficulty it was mined at.
///
/// The extranonce1 starts with the miner's 4 bytes (its part of the search space; a miner server
/// gives each downstream connection a longer extranonce1 and a shorter extranonce2), and
/// extranonce1 and extranonce2 together are 4 + the task's extranonce2 size bytes.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ShareData {
	/// The connection's extranonce1 (the miner's 4 bytes first).
	pub extranonce1: BoundedVec<u8, ConstU32<8>>,
	/// The worker's extranonce2.
	pub extranonce2: BoundedVec<u8, ConstU32<8>>,
	/// Block time used.
	pub ntime: u32,
	/// The nonce.
	pub nonce: u32,
	/// Rolled version bits (BIP 320), if any.
	pub version_bits: Option<u32>,
	/// The difficulty it was mined at (1/65536 units, at least the task's): the work it is
	/// worth.
	pub difficulty: u64,
}

/// What a scheduler signs: shares a miner found for a job.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct SharesPayload<Public, BlockNumber> {
	/// The scheduler's key (must be the miner's).
	pub public: Public,
	/// The miner that found them.
	pub miner: MinerId,
	/// The job they are for.
	pub job: JobId,
	/// The block the scheduler read the chain at.
	pub block_number: BlockNumber,
	/// For a sub-account served by its pool: the pool's job the shares were found for (as
	/// `mining.notify` gave it; `difficulty` is the pool's, `extranonce2_size` its extranonce2
	/// size). `None` for an on-chain task.
	pub pool_job: Option<MiningTask>,
	/// The shares.
	pub shares: BoundedVec<ShareData, ConstU32<MAX_SHARES>>,
}
