//! Stratum V1 client to the buyer's pool (the sub-account's distribution centre).
//!
//! When the scheduler dispatches a sub-account served by its pool, the miner server connects to
//! `stratum+tcp://host:port`, sends `mining.configure` (version rolling), `mining.subscribe` and
//! `mining.authorize` (the buyer's worker name and password), and turns every `mining.notify`
//! into the engine's job: the pool's extranonce1 and extranonce2 size, the pool's difficulty
//! from `mining.set_difficulty`, the chain's job id. The built-in workers and the downstream
//! miners work it; each share meeting the pool's difficulty is sent back with `mining.submit`
//! (extranonce2 = the downstream connection's part of the extranonce1 after the pool's, then
//! its extranonce2) and the pool's answers are counted. A lost connection is retried (1 s, then
//! doubling to 30 s); `client.reconnect` from the pool reconnects at once.
use crate::{
	http::{hex, unhex},
	work::{Engine, Found, JobSpec, PoolRef},
};
use computility_pow as pow;
use serde_json::{json, Value};
use std::{
	io::{BufRead, BufReader, ErrorKind, Read, Write},
	net::{TcpStream, ToSocketAddrs},
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex, Weak,
	},
	thread,
	time::Duration,
};

/// Longest line accepted from a pool.
const MAX_LINE: usize = 64 * 1024;
/// First request id used for shares (lower ones are the session's set-up).
const FIRST_SHARE_ID: u64 = 100;

/// Which pool, as whom.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct PoolConfig {
	/// `stratum+tcp://host:port`.
	pub url: String,
	/// The buyer's worker name at the pool.
	pub worker: String,
	/// Its password (`x` when the pool does not check it).
	#[serde(default = "default_password")]
	pub password: String,
}

fn default_password() -> String {
	"x".into()
}

impl PoolConfig {
	/// `host:port` of the pool, or why the URL is not a Stratum pool's.
	pub fn address(&self) -> Result<&str, String> {
		let rest = self
			.url
			.strip_prefix("stratum+tcp://")
			.ok_or_else(|| "the pool URL must start with stratum+tcp://".to_string())?;
		let rest = rest.trim_end_matches('/');
		match rest.rsplit_once(':') {
			Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => Ok(rest),
			_ => Err("the pool URL needs a host and a port".into()),
		}
	}
}

/// What `/status` reports of the pool connection.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct PoolStats {
	/// The pool's URL.
	pub url: String,
	/// The worker name.
	pub worker: String,
	/// The chain's job it serves.
	pub chain_job: u64,
	/// Connected and subscribed.
	pub connected: bool,
	/// The pool accepted the worker.
	pub authorized: bool,
	/// The pool's difficulty (65536 = 1).
	pub difficulty: u64,
	/// The pool's extranonce1, hex.
	pub extranonce1: String,
	/// Jobs received.
	pub jobs: u64,
	/// Shares sent.
	pub submitted: u64,
	/// Shares the pool accepted.
	pub accepted: u64,
	/// Shares the pool refused.
	pub rejected: u64,
	/// Connections made.
	pub connections: u64,
	/// The last error (connection or the pool's answer).
	pub last_error: Option<String>,
}

/// A connection to the buyer's pool, kept up until stopped.
pub struct Upstream {
	config: PoolConfig,
	chain_job: u64,
	least_difficulty: u64,
	engine: Weak<Engine>,
	stop: AtomicBool,
	writer: Mutex<Option<TcpStream>>,
	next_id: AtomicU64,
	stats: Mutex<PoolStats>,
}

impl Upstream {
	/// Connect to the pool of `config` for the chain's job `chain_job`, crediting shares from
	/// `least_difficulty` on; jobs go to `engine`.
	pub fn start(
		engine: &Arc<Engine>,
		config: PoolConfig,
		chain_job: u64,
		least_difficulty: u64,
	) -> Result<Arc<Upstream>, String> {
		config.address()?;
		if least_difficulty == 0 {
			return Err("difficulty must be at least 1".into());
		}
		let up = Arc::new(Upstream {
			stats: Mutex::new(PoolStats {
				url: config.url.clone(),
				worker: config.worker.clone(),
				chain_job,
				..Default::default()
			}),
			config,
			chain_job,
			least_difficulty,
			engine: Arc::downgrade(engine),
			stop: AtomicBool::new(false),
			writer: Mutex::new(None),
			next_id: AtomicU64::new(FIRST_SHARE_ID),
		});
		let me = up.clone();
		thread::Builder::new()
			.name("upstream".into())
			.spawn(move || me.run())
			.map_err(|e| format!("cannot start the pool client: {e}"))?;
		Ok(up)
	}

	/// Whether it serves this pool, worker and password for this chain job and difficulty.
	pub fn serves(&self, config: &PoolConfig, chain_job: u64, least_difficulty: u64) -> bool {
		self.config == *config
			&& self.chain_job == chain_job
			&& self.least_difficulty == least_difficulty
	}

	/// The chain's job it serves.
	pub fn chain_job(&self) -> u64 {
		self.chain_job
	}

	/// Counters.
	pub fn stats(&self) -> PoolStats {
		self.stats.lock().unwrap_or_else(|e| e.into_inner()).clone()
	}

	/// End the connection (the thread exits).
	pub fn stop(&self) {
		self.stop.store(true, Ordering::SeqCst);
		if let Some(w) = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take() {
			let _ = w.shutdown(std::net::Shutdown::Both);
		}
	}

	/// The engine, while this is the pool connection it serves (a replaced one's jobs are not).
	fn served_engine(&self) -> Option<Arc<Engine>> {
		let e = self.engine.upgrade()?;
		let current = e.upstream().is_some_and(|u| std::ptr::eq(Arc::as_ptr(&u), self));
		current.then_some(e)
	}

	fn stats_mut(&self, f: impl FnOnce(&mut PoolStats)) {
		f(&mut self.stats.lock().unwrap_or_else(|e| e.into_inner()));
	}

	fn send(&self, v: &Value) -> bool {
		let mut line = v.to_string();
		line.push('\n');
		let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
		match w.as_mut() {
			Some(s) => s.write_all(line.as_bytes()).and_then(|_| s.flush()).is_ok(),
			None => false,
		}
	}

	/// Send a share found for one of the pool's jobs (`mining.submit`).
	pub fn submit(&self, f: &Found) {
		let Some(job) = &f.pool_job else { return };
		let Some(pool) = &job.pool else { return };
		// The pool's extranonce2: what the connection's extranonce1 adds to the pool's, then the
		// connection's extranonce2.
		let Some(own) = f.extranonce1.strip_prefix(job.extranonce1.as_slice()) else { return };
		let extranonce2 = [own, &f.extranonce2].concat();
		let id = self.next_id.fetch_add(1, Ordering::Relaxed);
		let mut params = vec![
			json!(self.config.worker),
			json!(pool.job_id),
			json!(hex(&extranonce2)),
			json!(format!("{:08x}", f.ntime)),
			json!(format!("{:08x}", f.nonce)),
		];
		if let Some(v) = f.version_bits {
			params.push(json!(format!("{v:08x}")));
		}
		if self.send(&json!({ "id": id, "method": "mining.submit", "params": params })) {
			self.stats_mut(|s| s.submitted += 1);
		} else {
			self.stats_mut(|s| s.last_error = Some("share not sent: not connected".into()));
		}
	}

	fn run(self: Arc<Self>) {
		let mut backoff = Duration::from_secs(1);
		while !self.stop.load(Ordering::SeqCst) {
			let result = self.session();
			if self.engine.strong_count() == 0 {
				return;
			}
			// The pool's jobs are no longer current: nothing to work until it answers again.
			if let Some(e) = self.served_engine() {
				e.set_job(None);
			}
			self.stats_mut(|s| {
				s.connected = false;
				s.authorized = false;
			});
			*self.writer.lock().unwrap_or_else(|e| e.into_inner()) = None;
			match result {
				Ok(Reconnect::Now) => backoff = Duration::from_secs(1),
				Ok(Reconnect::Later) => {},
				Err(e) => {
					eprintln!("computility-miner: pool {}: {e}", self.config.url);
					self.stats_mut(|s| s.last_error = Some(e));
				},
			}
			if self.stop.load(Ordering::SeqCst) {
				return;
			}
			thread::sleep(backoff);
			backoff = (backoff * 2).min(Duration::from_secs(30));
		}
	}

	/// One connection to the pool, until it closes or is stopped.
	fn session(&self) -> Result<Reconnect, String> {
		let address = self.config.address()?;
		let addrs: Vec<_> = address
			.to_socket_addrs()
			.map_err(|e| format!("cannot resolve {address}: {e}"))?
			.collect();
		let stream = addrs
			.iter()
			.find_map(|a| TcpStream::connect_timeout(a, Duration::from_secs(5)).ok())
			.ok_or_else(|| format!("cannot connect to {address}"))?;
		let _ = stream.set_nodelay(true);
		let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
		let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
		let writer = stream.try_clone().map_err(|e| e.to_string())?;
		*self.writer.lock().unwrap_or_else(|e| e.into_inner()) = Some(writer);
		self.stats_mut(|s| s.connections += 1);
		self.send(&json!({ "id": 1, "method": "mining.configure", "params": [["version-rolling"], { "version-rolling.mask": format!("{:08x}", pow::VERSION_ROLLING_MASK), "version-rolling.min-bit-count": 2 }] }));
		self.send(
			&json!({ "id": 2, "method": "mining.subscribe", "params": ["computility-miner/0.1"] }),
		);
		self.send(&json!({ "id": 3, "method": "mining.authorize", "params": [self.config.worker, self.config.password] }));
		// Difficulty 1 until the pool sets one.
		let mut session = Session { difficulty: pow::DIFF_ONE, ..Default::default() };
		let mut reader = BufReader::new(stream);
		let mut line = Vec::new();
		loop {
			if self.stop.load(Ordering::SeqCst) {
				return Ok(Reconnect::Later);
			}
			match (&mut reader)
				.take((MAX_LINE + 1 - line.len()) as u64)
				.read_until(b'\n', &mut line)
			{
				Ok(0) => return Err("the pool closed the connection".into()),
				Ok(_) if line.len() > MAX_LINE => {
					return Err("the pool sent a line too long".into())
				},
				Ok(_) if !line.ends_with(b"\n") => continue,
				Ok(_) => {},
				Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
					continue
				},
				Err(e) => return Err(format!("connection lost: {e}")),
			}
			let text = String::from_utf8_lossy(&line).trim().to_string();
			line.clear();
			if text.is_empty() {
				continue;
			}
			let msg: Value =
				serde_json::from_str(&text).map_err(|_| "the pool sent malformed JSON")?;
			if let Some(r) = self.handle(&mut session, &msg)? {
				return Ok(r);
			}
		}
	}

	fn handle(&self, st: &mut Session, msg: &Value) -> Result<Option<Reconnect>, String> {
		let params = msg.get("params").and_then(|p| p.as_array()).cloned().unwrap_or_default();
		match msg.get("method").and_then(|m| m.as_str()) {
			Some("mining.set_difficulty") => {
				let d = params.first().and_then(|d| d.as_f64()).ok_or("bad set_difficulty")?;
				st.difficulty = ((d * pow::DIFF_ONE as f64).round() as u64).max(1);
				self.stats_mut(|s| s.difficulty = st.difficulty);
			},
			Some("mining.set_extranonce") => {
				st.extranonce1 = params
					.first()
					.and_then(|v| v.as_str())
					.and_then(|h| unhex(h).ok())
					.ok_or("bad set_extranonce")?;
				st.extranonce2_size = params.get(1).and_then(|v| v.as_u64()).unwrap_or(0) as u8;
			},
			Some("mining.notify") => self.notify(st, &params)?,
			Some("client.reconnect") => return Ok(Some(Reconnect::Now)),
			Some(_) => {},
			None => {
				let id = msg.get("id").and_then(|i| i.as_u64()).unwrap_or(0);
				let ok = msg.get("error").is_none_or(|e| e.is_null())
					&& msg.get("result").is_some_and(|r| !r.is_null() && r != &json!(false));
				let error =
					|| msg.get("error").map(|e| e.to_string()).unwrap_or_else(|| "refused".into());
				match id {
					2 => {
						let r = msg.get("result").cloned().unwrap_or_default();
						st.extranonce1 = r
							.get(1)
							.and_then(|v| v.as_str())
							.and_then(|h| unhex(h).ok())
							.ok_or("the pool refused the subscription")?;
						st.extranonce2_size = r.get(2).and_then(|v| v.as_u64()).unwrap_or(0) as u8;
						if !(1..=8).contains(&st.extranonce2_size) || st.extranonce1.len() > 8 {
							return Err("the pool's extranonce sizes are out of range".into());
						}
						let en1 = hex(&st.extranonce1);
						self.stats_mut(|s| {
							s.connected = true;
							s.extranonce1 = en1;
						});
					},
					3 if ok => self.stats_mut(|s| s.authorized = true),
					3 => return Err(format!("the pool refused the worker: {}", error())),
					n if n >= FIRST_SHARE_ID && ok => self.stats_mut(|s| s.accepted += 1),
					n if n >= FIRST_SHARE_ID => {
						let e = error();
						self.stats_mut(|s| {
							s.rejected += 1;
							s.last_error = Some(e);
						})
					},
					_ => {},
				}
			},
		}
		Ok(None)
	}

	fn notify(&self, st: &mut Session, p: &[Value]) -> Result<(), String> {
		let s = |i: usize| p.get(i).and_then(|v| v.as_str()).ok_or("bad mining.notify");
		let word = |i: usize| -> Result<u32, String> {
			u32::from_str_radix(s(i)?, 16).map_err(|_| "bad mining.notify".to_string())
		};
		let hash = |h: &str| -> Result<[u8; 32], String> {
			unhex(h)?.try_into().map_err(|_| "a hash is 32 bytes".to_string())
		};
		if st.extranonce1.is_empty() && st.extranonce2_size == 0 {
			return Err("mining.notify before the subscription".into());
		}
		st.seq = st.seq.wrapping_add(1);
		let branch = p.get(4).and_then(|v| v.as_array()).ok_or("bad mining.notify")?;
		let job = JobSpec {
			job_id: self.chain_job,
			pool: Some(PoolRef {
				job_id: s(0)?.to_string(),
				difficulty: st.difficulty.max(1),
				seq: st.seq,
			}),
			prev_hash: pow::prevhash_from_stratum(&hash(s(1)?)?),
			coinbase1: unhex(s(2)?)?,
			coinbase2: unhex(s(3)?)?,
			merkle_branch: branch
				.iter()
				.map(|h| hash(h.as_str().unwrap_or("")))
				.collect::<Result<_, _>>()?,
			version: word(5)?,
			nbits: word(6)?,
			ntime: word(7)?,
			difficulty: self.least_difficulty,
			extranonce1: st.extranonce1.clone(),
			extranonce2_size: st.extranonce2_size,
		};
		if let Some(p) = job.problem() {
			return Err(format!("the pool's job cannot be worked: {p}"));
		}
		self.stats_mut(|s| s.jobs += 1);
		if let Some(e) = self.served_engine() {
			e.set_job(Some(job));
		}
		Ok(())
	}
}

/// How a session ended without an error.
enum Reconnect {
	/// The pool asked to reconnect.
	Now,
	/// Stopped.
	Later,
}

/// What the pool told this session.
#[derive(Default)]
struct Session {
	extranonce1: Vec<u8>,
	extranonce2_size: u8,
	difficulty: u64,
	seq: u32,
}

#[cfg(test)]
mod tests {
	use super::*;
	use computility_pow::Sha2;
	use std::{
		net::TcpListener,
		time::{Duration, Instant},
	};

	/// A pool for one connection: subscribes it (extranonce1 `f000000d`, extranonce2 4 bytes),
	/// sends difficulty 1/2048 and a job, checks every share as a pool does and answers it.
	fn pool(clean_up_after: usize) -> (String, thread::JoinHandle<(usize, usize)>) {
		let l = TcpListener::bind("127.0.0.1:0").unwrap();
		let url = format!("stratum+tcp://{}", l.local_addr().unwrap());
		let h = thread::spawn(move || {
			let (s, _) = l.accept().unwrap();
			let mut w = s.try_clone().unwrap();
			let mut send = |v: Value| {
				w.write_all(format!("{v}\n").as_bytes()).unwrap();
			};
			let job = JobSpec {
				job_id: 0,
				pool: None,
				prev_hash: [0x11; 32],
				coinbase1: vec![1; 41],
				coinbase2: b"\x76\xa9\x14payout".to_vec(),
				merkle_branch: vec![[2; 32]],
				version: 0x2000_0000,
				nbits: 0x1d00ffff,
				ntime: 0x6500_0000,
				difficulty: 32,
				extranonce1: vec![0xf0, 0, 0, 0x0d],
				extranonce2_size: 4,
			};
			let (mut ok, mut low) = (0, 0);
			let mut seen = std::collections::HashSet::new();
			for line in BufReader::new(s).lines() {
				let Ok(line) = line else { break };
				let m: Value = serde_json::from_str(&line).unwrap();
				let id = m["id"].clone();
				match m["method"].as_str().unwrap() {
					"mining.configure" => send(
						json!({"id": id, "result": {"version-rolling": true, "version-rolling.mask": "1fffe000"}, "error": null}),
					),
					"mining.subscribe" => {
						send(json!({"id": id, "result": [[], "f000000d", 4], "error": null}))
					},
					"mining.authorize" => {
						assert_eq!(m["params"], json!(["buyer.rig1", "secret"]));
						send(json!({"id": id, "result": true, "error": null}));
						send(
							json!({"id": null, "method": "mining.set_difficulty", "params": [32.0 / 65536.0]}),
						);
						send(json!({"id": null, "method": "mining.notify", "params": [
							"j1", hex(&pow::prevhash_from_stratum(&job.prev_hash)), hex(&job.coinbase1),
							hex(&job.coinbase2), [hex(&[2; 32])], "20000000", "1d00ffff", "65000000", true]}));
					},
					"mining.submit" => {
						let p = &m["params"];
						assert_eq!(p[0], "buyer.rig1");
						assert_eq!(p[1], "j1");
						let en2 = unhex(p[2].as_str().unwrap()).unwrap();
						let word =
							|i: usize| u32::from_str_radix(p[i].as_str().unwrap(), 16).unwrap();
						let share = pow::Share {
							extranonce1: &job.extranonce1,
							extranonce2: &en2,
							ntime: word(3),
							nonce: word(4),
							version_bits: None,
						};
						let fresh = seen.insert((en2.clone(), word(4)));
						match pow::check_share::<Sha2>(&job.view(), &share, 4, 32) {
							Ok(_) if fresh => {
								ok += 1;
								send(json!({"id": id, "result": true, "error": null}))
							},
							_ => {
								low += 1;
								send(
									json!({"id": id, "result": null, "error": [23, "low difficulty share", null]}),
								)
							},
						}
						if ok >= clean_up_after {
							break;
						}
					},
					other => panic!("unexpected {other}"),
				}
			}
			(ok, low)
		});
		(url, h)
	}

	#[test]
	fn the_pools_jobs_are_worked_and_shares_meeting_its_difficulty_forwarded() {
		let engine = Engine::start(1);
		let (url, pool) = pool(3);
		let config = PoolConfig { url, worker: "buyer.rig1".into(), password: "secret".into() };
		// The chain credits from 64 on: the pool (32) gets more shares than the chain.
		let up = Upstream::start(&engine, config.clone(), 9, 64).unwrap();
		engine.set_upstream(Some(up.clone()));
		assert!(up.serves(&config, 9, 64) && !up.serves(&config, 10, 64));
		assert_eq!(engine.chain_job(), Some(9));
		let (ok, low) = pool.join().unwrap();
		assert_eq!((ok, low), (3, 0));
		let deadline = Instant::now() + Duration::from_secs(10);
		while up.stats().accepted < 3 && Instant::now() < deadline {
			thread::sleep(Duration::from_millis(20));
		}
		let st = up.stats();
		assert_eq!((st.accepted, st.rejected, st.jobs, st.difficulty), (3, 0, 1, 32));
		assert!(st.authorized || !st.connected);
		assert_eq!(st.extranonce1, "f000000d");
		// What the chain gets: shares of the pool's job, at 64 or more, with that job.
		let queued = engine.drain(100);
		engine.stop();
		for f in &queued {
			assert_eq!(f.job_id, 9);
			assert!(f.difficulty >= 64);
			let job = f.pool_job.as_ref().unwrap();
			assert_eq!(job.pool.as_ref().unwrap().job_id, "j1");
			assert_eq!(job.extranonce1, vec![0xf0, 0, 0, 0x0d]);
		}
		up.stop();
	}

	/// One pool session: answers the set-up (`authorized` or not), sends a job `job_id`, then
	/// (if `reconnect`) `client.reconnect`, and waits until the client leaves.
	fn session(s: std::net::TcpStream, en1: &str, job_id: &str, authorized: bool, reconnect: bool) {
		let mut w = s.try_clone().unwrap();
		let mut send = |v: Value| {
			let _ = w.write_all(format!("{v}\n").as_bytes());
		};
		for line in BufReader::new(s).lines() {
			let Ok(line) = line else { break };
			let m: Value = serde_json::from_str(&line).unwrap();
			let id = m["id"].clone();
			match m["method"].as_str().unwrap() {
				"mining.subscribe" => {
					send(json!({"id": id, "result": [[], en1, 4], "error": null}))
				},
				"mining.authorize" if !authorized => send(
					json!({"id": id, "result": null, "error": [24, "unauthorized worker", null]}),
				),
				"mining.authorize" => {
					send(json!({"id": id, "result": true, "error": null}));
					send(json!({"id": null, "method": "mining.notify", "params": [
						job_id, "00".repeat(32), "01", "02", [], "20000000", "1d00ffff", "65000000", true]}));
					if reconnect {
						send(json!({"id": null, "method": "client.reconnect", "params": []}));
					}
				},
				_ => send(json!({"id": id, "result": true, "error": null})),
			}
		}
	}

	#[test]
	fn the_client_reconnects_when_asked_and_reports_a_refused_worker() {
		let l = TcpListener::bind("127.0.0.1:0").unwrap();
		let url = format!("stratum+tcp://{}", l.local_addr().unwrap());
		let pool = thread::spawn(move || {
			let (s, _) = l.accept().unwrap();
			session(s, "00000001", "a", true, true);
			let (s, _) = l.accept().unwrap();
			session(s, "00000002", "b", true, false);
		});
		let engine = Engine::start(0);
		let config = PoolConfig { url, worker: "w".into(), password: "x".into() };
		let up = Upstream::start(&engine, config, 5, 1).unwrap();
		engine.set_upstream(Some(up.clone()));
		let deadline = Instant::now() + Duration::from_secs(20);
		let on_b = || engine.job().and_then(|j| j.pool.clone()).is_some_and(|p| p.job_id == "b");
		while !on_b() && Instant::now() < deadline {
			thread::sleep(Duration::from_millis(20));
		}
		assert!(on_b(), "the second session's job is worked");
		let job = engine.job().unwrap();
		assert_eq!((job.job_id, job.extranonce1.clone()), (5, vec![0, 0, 0, 2]));
		let st = up.stats();
		assert_eq!((st.connections, st.jobs, st.extranonce1.as_str()), (2, 2, "00000002"));
		engine.set_upstream(None);
		drop(pool);

		// A pool that refuses the worker: reported, retried later.
		let l = TcpListener::bind("127.0.0.1:0").unwrap();
		let url = format!("stratum+tcp://{}", l.local_addr().unwrap());
		thread::spawn(move || {
			if let Ok((s, _)) = l.accept() {
				session(s, "00000003", "c", false, false);
			}
		});
		let config = PoolConfig { url, worker: "w".into(), password: "wrong".into() };
		let up = Upstream::start(&engine, config, 6, 1).unwrap();
		engine.set_upstream(Some(up.clone()));
		let deadline = Instant::now() + Duration::from_secs(10);
		while up.stats().last_error.is_none() && Instant::now() < deadline {
			thread::sleep(Duration::from_millis(20));
		}
		let st = up.stats();
		assert!(st.last_error.unwrap_or_default().contains("refused the worker"));
		assert!(!st.authorized && engine.job().is_none());
		engine.set_upstream(None);
		engine.stop();
	}

	#[test]
	fn pool_urls_are_checked() {
		let c =
			|url: &str| PoolConfig { url: url.into(), worker: "w".into(), password: "x".into() };
		assert_eq!(c("stratum+tcp://pool.example:3333").address(), Ok("pool.example:3333"));
		assert!(c("http://pool.example:3333").address().is_err());
		assert!(c("stratum+tcp://pool.example").address().is_err());
		assert!(c("stratum+tcp://:3333").address().is_err());
		let engine = Engine::start(0);
		assert!(Upstream::start(&engine, c("tcp://x:1"), 1, 1).is_err());
		assert!(Upstream::start(&engine, c("stratum+tcp://x:1"), 1, 0).is_err());
	}
}
