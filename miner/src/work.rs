//! The search engine: worker threads (one per core by default) search the nonce space of the
//! current job, each over its own extranonce2 values, and queue the shares that meet the job's
//! share target. A new job replaces the old one at once (shares of the old job are dropped:
//! they would be stale; a new job of the buyer's pool keeps the chain's job, and the shares
//! found for the pool's earlier jobs stay queued for the chain).
//!
//! When the job comes from the buyer's pool ([`PoolRef`]), every share found (by the workers or
//! a downstream miner) that meets the pool's difficulty is also forwarded to the pool
//! ([`crate::upstream`]).
use crate::sha::{midstate, second_block, sha256d_mid};
use computility_pow::{self as pow, Sha2};
use std::{
	collections::VecDeque,
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex, RwLock,
	},
	thread,
	time::{Duration, Instant},
};

/// Nonces between checks for a new job.
const CHUNK: u64 = 1 << 16;
/// Most shares kept until collected.
const MAX_QUEUED: usize = 4096;

/// Where a job of the buyer's pool came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolRef {
	/// The pool's job id (as `mining.notify` gave it).
	pub job_id: String,
	/// The pool's share difficulty (65536 = 1).
	pub difficulty: u64,
	/// The how-manieth job of the pool this is (tells downstream miners' jobs apart).
	pub seq: u32,
}

/// A job as the scheduler dispatches it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobSpec {
	/// The chain's job id.
	pub job_id: u64,
	/// For a job of the buyer's pool: which one (then `extranonce1` and `extranonce2_size` are
	/// the pool's, and `difficulty` the least the chain credits).
	pub pool: Option<PoolRef>,
	/// Previous block hash (header order).
	pub prev_hash: [u8; 32],
	/// Coinbase before the extranonces.
	pub coinbase1: Vec<u8>,
	/// Coinbase after the extranonces.
	pub coinbase2: Vec<u8>,
	/// Merkle branch (header order).
	pub merkle_branch: Vec<[u8; 32]>,
	/// Block version.
	pub version: u32,
	/// Network target, compact.
	pub nbits: u32,
	/// Block time.
	pub ntime: u32,
	/// Share difficulty in `pow::DIFF_ONE` units.
	pub difficulty: u64,
	/// This miner's extranonce1 (its part of the search space).
	pub extranonce1: Vec<u8>,
	/// Bytes of extranonce2 (1..=8).
	pub extranonce2_size: u8,
}

impl JobSpec {
	/// Why the job cannot be worked, if it cannot.
	pub fn problem(&self) -> Option<&'static str> {
		if !(1..=8).contains(&self.extranonce2_size) {
			return Some("extranonce2_size must be 1..=8");
		}
		if self.difficulty == 0 {
			return Some("difficulty must be at least 1");
		}
		None
	}

	/// The job id downstream miners see (hex in `mining.notify`): the chain's, and for a pool's
	/// job its sequence number in the low 32 bits.
	pub fn notify_id(&self) -> u64 {
		match &self.pool {
			Some(p) => (self.job_id << 32) | p.seq as u64,
			None => self.job_id,
		}
	}

	/// The difficulty shares are searched at: the chain's, or the pool's if lower.
	pub fn search_difficulty(&self) -> u64 {
		match &self.pool {
			Some(p) => self.difficulty.min(p.difficulty).max(1),
			None => self.difficulty,
		}
	}

	/// As the share-checking core sees it.
	pub fn view(&self) -> pow::Job<'_> {
		pow::Job {
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

/// A share found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
	/// Its job (the chain's id).
	pub job_id: u64,
	/// The pool's job it was found for, if the job came from the buyer's pool.
	pub pool_job: Option<Arc<JobSpec>>,
	/// Whether it meets the pool's difficulty (then it was forwarded to the pool).
	pub to_pool: bool,
	/// The extranonce1 it was found with.
	pub extranonce1: Vec<u8>,
	/// The difficulty it meets (what it is worth).
	pub difficulty: u64,
	/// The worker's extranonce2.
	pub extranonce2: Vec<u8>,
	/// Block time used.
	pub ntime: u32,
	/// The nonce.
	pub nonce: u32,
	/// Rolled version bits, if any.
	pub version_bits: Option<u32>,
}

impl Found {
	/// A share of `job` whose SHA-256d is `digest`: credited at `aim` if it meets it, else at
	/// `floor` (which it met); marked for the pool if it meets the pool's difficulty.
	pub fn new(
		job: &Arc<JobSpec>,
		share: &pow::Share,
		digest: &[u8; 32],
		aim: u64,
		floor: u64,
	) -> Found {
		Found {
			job_id: job.job_id,
			pool_job: job.pool.is_some().then(|| job.clone()),
			to_pool: job.pool.as_ref().is_some_and(|p| pow::meets_difficulty(digest, p.difficulty)),
			extranonce1: share.extranonce1.to_vec(),
			difficulty: if pow::meets_difficulty(digest, aim) { aim } else { floor },
			extranonce2: share.extranonce2.to_vec(),
			ntime: share.ntime,
			nonce: share.nonce,
			version_bits: share.version_bits,
		}
	}
}

/// Counters the status endpoint reports.
#[derive(Clone, Debug)]
pub struct Status {
	/// The job worked on.
	pub job_id: Option<u64>,
	/// Hashes per second over the last sampling window.
	pub hashrate: u64,
	/// Hashes since start.
	pub hashes: u64,
	/// Shares found since start.
	pub shares_found: u64,
	/// Shares waiting to be collected.
	pub queued: usize,
	/// Worker threads.
	pub threads: usize,
	/// Seconds since start.
	pub uptime_s: u64,
}

/// The engine shared by the workers and the HTTP server.
pub struct Engine {
	job: RwLock<Option<Arc<JobSpec>>>,
	generation: AtomicU64,
	hashes: AtomicU64,
	found_total: AtomicU64,
	rate: AtomicU64,
	found: Mutex<VecDeque<Found>>,
	upstream: Mutex<Option<Arc<crate::upstream::Upstream>>>,
	standby: AtomicBool,
	stop: AtomicBool,
	threads: usize,
	started: Instant,
}

impl Engine {
	/// Start `threads` workers (0: downstream miners only) and the hashrate sampler.
	pub fn start(threads: usize) -> Arc<Engine> {
		let e = Arc::new(Engine {
			job: RwLock::new(None),
			generation: AtomicU64::new(0),
			hashes: AtomicU64::new(0),
			found_total: AtomicU64::new(0),
			rate: AtomicU64::new(0),
			found: Mutex::new(VecDeque::new()),
			upstream: Mutex::new(None),
			standby: AtomicBool::new(false),
			stop: AtomicBool::new(false),
			threads,
			started: Instant::now(),
		});
		for id in 0..e.threads {
			let e = e.clone();
			thread::Builder::new()
				.name(format!("worker-{id}"))
				.spawn(move || e.work(id as u64))
				.expect("spawn worker");
		}
		let s = e.clone();
		thread::Builder::new()
			.name("sampler".into())
			.spawn(move || {
				let (mut t0, mut h0) = (Instant::now(), s.hashes.load(Ordering::Relaxed));
				while !s.stop.load(Ordering::Relaxed) {
					thread::sleep(Duration::from_millis(500));
					let dt = t0.elapsed();
					if dt >= Duration::from_secs(5) {
						let h = s.hashes.load(Ordering::Relaxed);
						s.rate
							.store(((h - h0) as f64 / dt.as_secs_f64()) as u64, Ordering::Relaxed);
						(t0, h0) = (Instant::now(), h);
					}
				}
			})
			.expect("spawn sampler");
		e
	}

	/// Replace the job. Shares of an earlier chain job are dropped; those found for earlier
	/// jobs of the same pool (same chain job) stay queued.
	pub fn set_job(&self, job: Option<JobSpec>) {
		let mut slot = self.job.write().unwrap_or_else(|e| e.into_inner());
		let chain = |j: Option<&JobSpec>| j.map(|j| j.job_id);
		let same_chain_job = job.is_some() && chain(slot.as_deref()) == chain(job.as_ref());
		*slot = job.map(Arc::new);
		self.generation.fetch_add(1, Ordering::SeqCst);
		if !same_chain_job {
			self.found.lock().unwrap_or_else(|e| e.into_inner()).clear();
		}
	}

	/// Work a task from the chain: any pool connection ends.
	pub fn set_task(&self, job: JobSpec) {
		self.set_upstream(None);
		self.set_job(Some(job));
	}

	/// Serve the buyer's pool through `upstream` (replacing any other), or stop serving one.
	pub fn set_upstream(&self, upstream: Option<Arc<crate::upstream::Upstream>>) {
		let mut slot = self.upstream.lock().unwrap_or_else(|e| e.into_inner());
		if let Some(old) = slot.take() {
			old.stop();
		}
		*slot = upstream;
	}

	/// The connection to the buyer's pool, if a pool is served.
	pub fn upstream(&self) -> Option<Arc<crate::upstream::Upstream>> {
		self.upstream.lock().unwrap_or_else(|e| e.into_inner()).clone()
	}

	/// Stand by (a warm standby: the job is kept and downstream miners are served, but the
	/// built-in workers idle until the scheduler activates this server), or be active.
	pub fn set_standby(&self, standby: bool) {
		self.standby.store(standby, Ordering::SeqCst);
	}

	/// Whether it stands by.
	pub fn standby(&self) -> bool {
		self.standby.load(Ordering::SeqCst)
	}

	/// The chain's job being served: the pool's (even before its first job) or the task's.
	pub fn chain_job(&self) -> Option<u64> {
		match self.upstream() {
			Some(u) => Some(u.chain_job()),
			None => self.job().map(|j| j.job_id),
		}
	}

	/// The current job.
	pub fn job(&self) -> Option<Arc<JobSpec>> {
		self.job.read().unwrap_or_else(|e| e.into_inner()).clone()
	}

	/// Take up to `max` found shares, all of one job (the oldest waiting): the chain takes the
	/// shares of one pool job with that job.
	pub fn drain(&self, max: usize) -> Vec<Found> {
		let mut q = self.found.lock().unwrap_or_else(|e| e.into_inner());
		let key = |f: &Found| f.pool_job.as_ref().map(|j| j.notify_id());
		let Some(first) = q.front().map(key) else { return Vec::new() };
		let mut out = Vec::new();
		let mut rest = VecDeque::with_capacity(q.len());
		for f in q.drain(..) {
			if out.len() < max && key(&f) == first {
				out.push(f);
			} else {
				rest.push_back(f);
			}
		}
		*q = rest;
		out
	}

	/// Counters.
	pub fn status(&self) -> Status {
		Status {
			job_id: self.job().map(|j| j.job_id),
			hashrate: self.rate.load(Ordering::Relaxed),
			hashes: self.hashes.load(Ordering::Relaxed),
			shares_found: self.found_total.load(Ordering::Relaxed),
			queued: self.found.lock().map(|q| q.len()).unwrap_or(0),
			threads: self.threads,
			uptime_s: self.started.elapsed().as_secs(),
		}
	}

	/// Queue a share found by a downstream miner or a worker (dropped if its chain job is no
	/// longer current): forwarded to the pool if it meets the pool's difficulty, kept for the
	/// chain if it meets the chain's.
	pub fn push(&self, f: Found) -> bool {
		let Some(job) = self.job() else { return false };
		if job.job_id != f.job_id {
			return false;
		}
		self.found_total.fetch_add(1, Ordering::Relaxed);
		if f.to_pool {
			if let Some(u) = self.upstream() {
				u.submit(&f);
			}
		}
		if f.difficulty >= job.difficulty {
			let mut q = self.found.lock().unwrap_or_else(|e| e.into_inner());
			if q.len() < MAX_QUEUED {
				q.push_back(f);
			}
		}
		true
	}

	/// Bumped whenever the job changes.
	pub fn generation(&self) -> u64 {
		self.generation.load(Ordering::SeqCst)
	}

	/// Stop the workers.
	pub fn stop(&self) {
		self.stop.store(true, Ordering::Relaxed);
	}

	/// Hashes since start.
	pub fn hashes(&self) -> u64 {
		self.hashes.load(Ordering::Relaxed)
	}

	fn work(&self, id: u64) {
		let mut counter = 0u64;
		while !self.stop.load(Ordering::Relaxed) {
			let generation = self.generation.load(Ordering::SeqCst);
			if self.standby() {
				thread::sleep(Duration::from_millis(20));
				continue;
			}
			let Some(job) = self.job() else {
				thread::sleep(Duration::from_millis(20));
				continue;
			};
			let size = job.extranonce2_size as usize;
			let Some(target) = pow::target_from_difficulty(job.search_difficulty()) else {
				thread::sleep(Duration::from_millis(20));
				continue;
			};
			// Workers interleave extranonce2 values: worker id + k × threads.
			let value = counter.wrapping_mul(self.threads.max(1) as u64).wrapping_add(id);
			counter += 1;
			let extranonce2 = value.to_be_bytes()[8 - size..].to_vec();
			self.search(&job, &extranonce2, &target, generation);
		}
	}

	/// Search every nonce for one extranonce2 (until the job changes).
	fn search(
		&self,
		job: &Arc<JobSpec>,
		extranonce2: &[u8],
		target: &pow::Target,
		generation: u64,
	) {
		let share = pow::Share {
			extranonce1: &job.extranonce1,
			extranonce2,
			ntime: job.ntime,
			nonce: 0,
			version_bits: None,
		};
		let header = pow::share_header::<Sha2>(&job.view(), &share);
		let mid = midstate(&header);
		let mut block = second_block(&header);
		let mut start = 0u64;
		while start <= u32::MAX as u64 {
			let end = (start + CHUNK).min(1 << 32);
			for n in start..end {
				block[12..16].copy_from_slice(&(n as u32).to_le_bytes());
				let d = sha256d_mid(&mid, &block);
				// Every share target is below 2^240: the top two bytes must be zero.
				if d[31] == 0 && d[30] == 0 && pow::meets(&d, target) {
					self.record(job, extranonce2, n as u32);
				}
			}
			self.hashes.fetch_add(end - start, Ordering::Relaxed);
			start = end;
			if self.generation.load(Ordering::Relaxed) != generation
				|| self.stop.load(Ordering::Relaxed)
				|| self.standby.load(Ordering::Relaxed)
			{
				return;
			}
		}
	}

	fn record(&self, job: &Arc<JobSpec>, extranonce2: &[u8], nonce: u32) {
		// Check with the shared core before reporting: what the chain (and the pool) will check.
		let share = pow::Share {
			extranonce1: &job.extranonce1,
			extranonce2,
			ntime: job.ntime,
			nonce,
			version_bits: None,
		};
		let floor = job.search_difficulty();
		let Ok(digest) = pow::check_share::<Sha2>(&job.view(), &share, extranonce2.len(), floor)
		else {
			return;
		};
		self.push(Found::new(job, &share, &digest, job.difficulty, floor));
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_warm_standby_keeps_the_job_but_its_workers_idle() {
		let e = Engine::start(1);
		e.set_standby(true);
		let job = JobSpec {
			job_id: 3,
			pool: None,
			prev_hash: [2u8; 32],
			coinbase1: vec![1],
			coinbase2: vec![2],
			merkle_branch: vec![],
			version: 0x2000_0000,
			nbits: 0x1d00ffff,
			ntime: 1_700_000_000,
			difficulty: 1,
			extranonce1: vec![0, 0, 0, 1],
			extranonce2_size: 4,
		};
		e.set_job(Some(job));
		thread::sleep(Duration::from_millis(300));
		assert_eq!((e.hashes(), e.chain_job()), (0, Some(3)), "no hashing while standing by");
		e.set_standby(false);
		let deadline = Instant::now() + Duration::from_secs(10);
		while e.hashes() == 0 && Instant::now() < deadline {
			thread::sleep(Duration::from_millis(20));
		}
		e.stop();
		assert!(e.hashes() > 0, "activated: the workers hash");
	}

	#[test]
	fn workers_find_shares_that_the_core_accepts() {
		let e = Engine::start(2);
		let job = JobSpec {
			job_id: 7,
			pool: None,
			prev_hash: [1u8; 32],
			coinbase1: vec![1, 2, 3],
			coinbase2: vec![4, 5],
			merkle_branch: vec![[9u8; 32]],
			version: 0x2000_0000,
			nbits: 0x1d00ffff,
			ntime: 1_700_000_000,
			difficulty: 64, // 2^22 hashes per share
			extranonce1: vec![0, 0, 0, 1],
			extranonce2_size: 4,
		};
		e.set_job(Some(job.clone()));
		let deadline = Instant::now() + Duration::from_secs(60);
		let mut got = Vec::new();
		while got.len() < 3 && Instant::now() < deadline {
			thread::sleep(Duration::from_millis(50));
			got.extend(e.drain(10));
		}
		e.stop();
		assert!(got.len() >= 3, "found {} shares", got.len());
		for f in got {
			assert_eq!(f.job_id, 7);
			let share = pow::Share {
				extranonce1: &job.extranonce1,
				extranonce2: &f.extranonce2,
				ntime: f.ntime,
				nonce: f.nonce,
				version_bits: None,
			};
			assert!(pow::check_share::<Sha2>(&job.view(), &share, 4, 64).is_ok());
		}
	}
}
