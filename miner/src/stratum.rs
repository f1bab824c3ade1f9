//! Stratum V1 for downstream miners (ASIC farms, CPU/GPU miners) connecting to this miner
//! server: `mining.subscribe` (a distinct extranonce1 per connection: the miner's 4 bytes and a
//! 2-byte connection number), `mining.authorize`, `mining.set_difficulty` (variable difficulty
//! aiming at a share every `share_seconds`), `mining.notify` (`clean_jobs` whenever the job
//! changes), `mining.submit` with the standard errors: 20 other, 21 stale job, 22 duplicate,
//! 23 low difficulty, 24 unauthorised, 25 not subscribed.
//!
//! Accepted shares go to the same queue as the built-in workers' (the scheduler collects them
//! for the chain), with the connection's extranonce1 and the difficulty they were mined at; when
//! the job comes from the buyer's pool, those meeting the pool's difficulty are forwarded to it.
//! A pool's extranonce1 is the prefix of every connection's; if a reconnection to the pool
//! changes it, the connections are sent `client.reconnect` (and closed) to subscribe afresh.
//! One thread per connection; lines above [`MAX_LINE`] bytes close the connection; a silent
//! connection is closed after [`IDLE`].
use crate::{
	http::{hex, unhex},
	work::{Engine, Found, JobSpec},
};
use computility_pow::{self as pow, Sha2};
use serde_json::{json, Value};
use std::{
	collections::HashSet,
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex,
	},
	thread,
	time::{Duration, Instant},
};

/// Longest request line accepted.
pub const MAX_LINE: usize = 16 * 1024;
/// A connection silent this long is closed.
pub const IDLE: Duration = Duration::from_secs(300);
/// Most connections at once.
pub const MAX_CONNECTIONS: usize = 1024;

/// Stratum error codes.
pub mod code {
	pub const OTHER: i64 = 20;
	pub const STALE: i64 = 21;
	pub const DUPLICATE: i64 = 22;
	pub const LOW_DIFFICULTY: i64 = 23;
	pub const UNAUTHORIZED: i64 = 24;
	pub const NOT_SUBSCRIBED: i64 = 25;
}

/// What `/status` reports of a connection.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ConnStats {
	/// Connection number (the last two bytes of its extranonce1).
	pub id: u16,
	/// Peer address.
	pub peer: String,
	/// Worker name it authorised as.
	pub worker: Option<String>,
	/// Its extranonce1, hex.
	pub extranonce1: String,
	/// Its current difficulty (65536 = 1).
	pub difficulty: u64,
	/// Shares accepted.
	pub accepted: u64,
	/// Shares refused.
	pub rejected: u64,
	/// Hashes its accepted shares are worth (difficulty × 2^32 each).
	pub work: u64,
	/// Hashes its accepted shares are worth per second since it connected.
	pub hashrate: u64,
}

struct Conn {
	id: u16,
	peer: String,
	writer: Mutex<TcpStream>,
	open: AtomicBool,
	state: Mutex<ConnState>,
	accepted: AtomicU64,
	rejected: AtomicU64,
	work: AtomicU64,
	since: Instant,
}

#[derive(Default)]
struct ConnState {
	subscribed: bool,
	worker: Option<String>,
	extranonce1: Vec<u8>,
	extranonce2_size: usize,
	difficulty: u64,
	previous_difficulty: u64,
	job_id: Option<u64>,
	seen: HashSet<(Vec<u8>, u32, u32, Option<u32>)>,
	window_start: Option<Instant>,
	window_shares: u32,
}

/// The Stratum server.
pub struct Server {
	engine: Arc<Engine>,
	conns: Mutex<Vec<Arc<Conn>>>,
	next_id: Mutex<u16>,
	password: Option<String>,
	share_seconds: f64,
	start_difficulty: u64,
}

impl Conn {
	fn send(&self, v: &Value) {
		let mut line = v.to_string();
		line.push('\n');
		let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
		if w.write_all(line.as_bytes()).and_then(|_| w.flush()).is_err() {
			self.open.store(false, Ordering::Relaxed);
			let _ = w.shutdown(std::net::Shutdown::Both);
		}
	}
	fn reply(&self, id: &Value, result: Value) {
		self.send(&json!({ "id": id, "result": result, "error": null }));
	}
	fn error(&self, id: &Value, code: i64, msg: &str) {
		self.rejected.fetch_add(1, Ordering::Relaxed);
		self.send(&json!({ "id": id, "result": null, "error": [code, msg, null] }));
	}
	fn close(&self) {
		self.open.store(false, Ordering::Relaxed);
		let w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
		let _ = w.shutdown(std::net::Shutdown::Both);
	}
}

fn hex_u32(s: &str) -> Option<u32> {
	if s.len() != 8 {
		return None;
	}
	u32::from_str_radix(s, 16).ok()
}

/// Stratum difficulty (a float, 1.0 = 2^32 hashes) of a difficulty in 1/65536 units.
pub fn stratum_difficulty(units: u64) -> f64 {
	units as f64 / pow::DIFF_ONE as f64
}

/// `mining.notify` parameters of a job.
pub fn notify_params(job: &JobSpec, clean: bool) -> Value {
	json!([
		format!("{:x}", job.notify_id()),
		hex(&pow::prevhash_from_stratum(&job.prev_hash)),
		hex(&job.coinbase1),
		hex(&job.coinbase2),
		job.merkle_branch.iter().map(|h| hex(h)).collect::<Vec<_>>(),
		format!("{:08x}", job.version),
		format!("{:08x}", job.nbits),
		format!("{:08x}", job.ntime),
		clean,
	])
}

impl Server {
	/// A server feeding `engine`; `password` (if any) must be given by `mining.authorize`.
	pub fn new(
		engine: Arc<Engine>,
		password: Option<String>,
		share_seconds: f64,
		start_difficulty: u64,
	) -> Arc<Server> {
		Arc::new(Server {
			engine,
			conns: Mutex::new(Vec::new()),
			next_id: Mutex::new(0),
			password,
			share_seconds: share_seconds.max(0.1),
			start_difficulty: start_difficulty.max(1),
		})
	}

	/// Per-connection counters.
	pub fn stats(&self) -> Vec<ConnStats> {
		let conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
		conns
			.iter()
			.filter(|c| c.open.load(Ordering::Relaxed))
			.map(|c| {
				let st = c.state.lock().unwrap_or_else(|e| e.into_inner());
				let secs = c.since.elapsed().as_secs_f64().max(1.0);
				ConnStats {
					id: c.id,
					peer: c.peer.clone(),
					worker: st.worker.clone(),
					extranonce1: hex(&st.extranonce1),
					difficulty: st.difficulty,
					accepted: c.accepted.load(Ordering::Relaxed),
					rejected: c.rejected.load(Ordering::Relaxed),
					work: c.work.load(Ordering::Relaxed),
					hashrate: (c.work.load(Ordering::Relaxed) as f64 / secs) as u64,
				}
			})
			.collect()
	}

	/// Accept connections until the process ends; a watcher sends new jobs to every miner.
	pub fn serve(self: Arc<Self>, listener: TcpListener) {
		let me = self.clone();
		thread::Builder::new()
			.name("stratum-jobs".into())
			.spawn(move || me.watch_jobs())
			.expect("spawn job watcher");
		for stream in listener.incoming() {
			let Ok(stream) = stream else { continue };
			let me = self.clone();
			let _ = thread::Builder::new().name("stratum".into()).spawn(move || me.handle(stream));
		}
	}

	fn watch_jobs(&self) {
		let mut generation = self.engine.generation();
		loop {
			thread::sleep(Duration::from_millis(100));
			let g = self.engine.generation();
			if g == generation {
				continue;
			}
			generation = g;
			let job = self.engine.job();
			let conns: Vec<Arc<Conn>> = {
				let mut c = self.conns.lock().unwrap_or_else(|e| e.into_inner());
				c.retain(|x| x.open.load(Ordering::Relaxed));
				c.clone()
			};
			for c in conns {
				if let Some(job) = &job {
					self.assign(&c, job, true);
				}
			}
		}
	}

	/// Give a subscribed connection `job` (its extranonce1 follows the job's miner prefix).
	fn assign(&self, c: &Conn, job: &JobSpec, clean: bool) {
		let difficulty = {
			let mut st = c.state.lock().unwrap_or_else(|e| e.into_inner());
			if !st.subscribed {
				return;
			}
			if !st.extranonce1.starts_with(&job.extranonce1)
				|| st.extranonce1.len() != job.extranonce1.len() + 2
				|| st.extranonce2_size + 2 != job.extranonce2_size as usize
			{
				// The search space changed (a new pool session): subscribe again.
				drop(st);
				c.send(&json!({ "id": null, "method": "client.reconnect", "params": [] }));
				c.close();
				return;
			}
			st.job_id = Some(job.notify_id());
			st.seen.clear();
			let floor = job.search_difficulty();
			if st.difficulty < floor {
				st.difficulty = floor;
			}
			st.previous_difficulty = st.difficulty;
			st.difficulty
		};
		c.send(&json!({ "id": null, "method": "mining.set_difficulty", "params": [stratum_difficulty(difficulty)] }));
		c.send(
			&json!({ "id": null, "method": "mining.notify", "params": notify_params(job, clean) }),
		);
	}

	fn handle(self: Arc<Self>, stream: TcpStream) {
		let peer = stream.peer_addr().map(|a| a.to_string()).unwrap_or_default();
		let _ = stream.set_read_timeout(Some(IDLE));
		let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
		let _ = stream.set_nodelay(true);
		let Ok(writer) = stream.try_clone() else { return };
		let id = {
			let mut n = self.next_id.lock().unwrap_or_else(|e| e.into_inner());
			// 0 is the built-in workers' space.
			*n = n.checked_add(1).unwrap_or(1);
			*n
		};
		let conn = Arc::new(Conn {
			id,
			peer,
			writer: Mutex::new(writer),
			open: AtomicBool::new(true),
			state: Mutex::new(ConnState::default()),
			accepted: AtomicU64::new(0),
			rejected: AtomicU64::new(0),
			work: AtomicU64::new(0),
			since: Instant::now(),
		});
		{
			let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
			conns.retain(|x| x.open.load(Ordering::Relaxed));
			if conns.len() >= MAX_CONNECTIONS {
				conn.error(&Value::Null, code::OTHER, "too many connections");
				conn.close();
				return;
			}
			conns.push(conn.clone());
		}
		let mut reader = BufReader::new(stream);
		let mut line = Vec::new();
		while conn.open.load(Ordering::Relaxed) {
			line.clear();
			match (&mut reader).take(MAX_LINE as u64 + 1).read_until(b'\n', &mut line) {
				Ok(0) | Err(_) => break,
				Ok(_) if line.len() > MAX_LINE => {
					conn.error(&Value::Null, code::OTHER, "line too long");
					break;
				},
				Ok(_) if !line.ends_with(b"\n") => break, // end of stream mid-line
				Ok(_) => {},
			}
			let text = String::from_utf8_lossy(&line);
			let text = text.trim();
			if text.is_empty() {
				continue;
			}
			match serde_json::from_str::<Value>(text) {
				Ok(msg) => self.dispatch(&conn, &msg),
				Err(_) => conn.error(&Value::Null, code::OTHER, "malformed JSON"),
			}
		}
		conn.close();
	}

	fn dispatch(&self, c: &Conn, msg: &Value) {
		let id = msg.get("id").cloned().unwrap_or(Value::Null);
		let params = msg.get("params").and_then(|p| p.as_array()).cloned().unwrap_or_default();
		match msg.get("method").and_then(|m| m.as_str()) {
			Some("mining.subscribe") => self.subscribe(c, &id),
			Some("mining.authorize") => {
				let worker = params.first().and_then(|w| w.as_str()).unwrap_or("").to_string();
				let password = params.get(1).and_then(|w| w.as_str()).unwrap_or("");
				let ok =
					!worker.is_empty() && self.password.as_deref().is_none_or(|p| p == password);
				if ok {
					c.state.lock().unwrap_or_else(|e| e.into_inner()).worker = Some(worker);
					c.reply(&id, json!(true));
				} else {
					c.error(&id, code::UNAUTHORIZED, "unauthorized worker");
				}
			},
			Some("mining.extranonce.subscribe") => c.reply(&id, json!(false)),
			Some("mining.configure") => c.reply(&id, json!({})),
			Some("mining.suggest_difficulty") => c.reply(&id, json!(true)),
			Some("mining.submit") => self.submit(c, &id, &params),
			Some(_) => c.error(&id, code::OTHER, "unknown method"),
			None => c.error(&id, code::OTHER, "no method"),
		}
	}

	fn subscribe(&self, c: &Conn, id: &Value) {
		let Some(job) = self.engine.job() else {
			c.error(id, code::OTHER, "no work yet: reconnect later");
			c.close();
			return;
		};
		if job.extranonce2_size < 3 || job.extranonce1.len() > 6 {
			c.error(id, code::OTHER, "the job leaves no extranonce room for downstream miners");
			c.close();
			return;
		}
		let (en1, en2_size) = {
			let mut st = c.state.lock().unwrap_or_else(|e| e.into_inner());
			st.subscribed = true;
			st.extranonce1 = [job.extranonce1.as_slice(), &c.id.to_be_bytes()].concat();
			st.extranonce2_size = job.extranonce2_size as usize - 2;
			st.difficulty = self.start_difficulty.max(job.search_difficulty());
			(st.extranonce1.clone(), st.extranonce2_size)
		};
		let sid = format!("{:016x}", c.id);
		c.reply(
			id,
			json!([[["mining.set_difficulty", sid], ["mining.notify", sid]], hex(&en1), en2_size]),
		);
		self.assign(c, &job, true);
	}

	fn submit(&self, c: &Conn, id: &Value, params: &[Value]) {
		let s = |i: usize| params.get(i).and_then(|v| v.as_str());
		let mut st = c.state.lock().unwrap_or_else(|e| e.into_inner());
		if !st.subscribed {
			drop(st);
			return c.error(id, code::NOT_SUBSCRIBED, "not subscribed");
		}
		if st.worker.is_none() || st.worker.as_deref() != s(0) {
			drop(st);
			return c.error(id, code::UNAUTHORIZED, "unauthorized worker");
		}
		let Some(job) = self.engine.job() else {
			drop(st);
			return c.error(id, code::STALE, "stale job");
		};
		let Some(job_id) = s(1).and_then(|j| u64::from_str_radix(j, 16).ok()) else {
			drop(st);
			return c.error(id, code::STALE, "job not found");
		};
		if job_id != job.notify_id() || st.job_id != Some(job_id) {
			drop(st);
			return c.error(id, code::STALE, "stale job");
		}
		let (Some(en2), Some(ntime), Some(nonce)) =
			(s(2).and_then(|h| unhex(h).ok()), s(3).and_then(hex_u32), s(4).and_then(hex_u32))
		else {
			drop(st);
			return c.error(id, code::OTHER, "malformed share");
		};
		let version_bits = match s(5) {
			Some(v) => match hex_u32(v) {
				Some(v) => Some(v),
				None => {
					drop(st);
					return c.error(id, code::OTHER, "malformed version bits");
				},
			},
			None => None,
		};
		if en2.len() != st.extranonce2_size {
			drop(st);
			return c.error(id, code::OTHER, "wrong extranonce2 size");
		}
		if !st.seen.insert((en2.clone(), ntime, nonce, version_bits)) {
			drop(st);
			return c.error(id, code::DUPLICATE, "duplicate share");
		}
		let share = pow::Share {
			extranonce1: &st.extranonce1,
			extranonce2: &en2,
			ntime,
			nonce,
			version_bits,
		};
		let view = job.view();
		// A difficulty change applies from the next share; until then the lower one counts.
		let floor = st.difficulty.min(st.previous_difficulty).max(job.search_difficulty());
		let digest = match pow::check_share::<Sha2>(&view, &share, en2.len(), floor) {
			Ok(digest) => digest,
			Err(pow::ShareError::LowDifficulty) => {
				drop(st);
				return c.error(id, code::LOW_DIFFICULTY, "low difficulty share");
			},
			Err(_) => {
				drop(st);
				return c.error(id, code::OTHER, "invalid share");
			},
		};
		// Credited at the current difficulty if it meets it, else at the lower one it met.
		let found = Found::new(&job, &share, &digest, st.difficulty, floor);
		let credited = found.difficulty;
		st.previous_difficulty = st.difficulty;
		let retarget = self.vardiff(&mut st, job.search_difficulty());
		drop(st);
		self.engine.push(found);
		c.accepted.fetch_add(1, Ordering::Relaxed);
		c.work.fetch_add((credited as u64).saturating_mul(pow::DIFF_ONE), Ordering::Relaxed);
		c.reply(id, json!(true));
		if let Some(d) = retarget {
			c.send(
				&json!({ "id": null, "method": "mining.set_difficulty", "params": [stratum_difficulty(d)] }),
			);
		}
	}

	/// Variable difficulty: after 10 shares or 30 s, scale towards a share every
	/// `share_seconds` (at most ×4 or ÷4 at a time, never below the job's difficulty).
	fn vardiff(&self, st: &mut ConnState, floor: u64) -> Option<u64> {
		let start = *st.window_start.get_or_insert_with(Instant::now);
		st.window_shares += 1;
		let elapsed = start.elapsed().as_secs_f64();
		if st.window_shares < 10 && elapsed < 30.0 {
			return None;
		}
		// Shares came every `rate` seconds: scale the difficulty by share_seconds / rate.
		let rate = (elapsed / st.window_shares as f64).max(0.001);
		st.window_start = Some(Instant::now());
		st.window_shares = 0;
		let factor = (self.share_seconds / rate).clamp(0.25, 4.0);
		let target = ((st.difficulty as f64 * factor) as u64).max(floor).max(1);
		if target == st.difficulty {
			return None;
		}
		st.difficulty = target;
		Some(target)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::io::BufReader;

	fn job(job_id: u64) -> JobSpec {
		JobSpec {
			job_id,
			pool: None,
			prev_hash: [5u8; 32],
			coinbase1: vec![1; 30],
			coinbase2: vec![2; 20],
			merkle_branch: vec![[3u8; 32]],
			version: 0x2000_0000,
			nbits: 0x1d00ffff,
			ntime: 1_700_000_000,
			difficulty: 1,
			extranonce1: vec![0, 0, 0, 9],
			extranonce2_size: 4,
		}
	}

	struct Client {
		r: BufReader<TcpStream>,
		w: TcpStream,
	}
	impl Client {
		fn connect(addr: &str) -> Client {
			let s = TcpStream::connect(addr).unwrap();
			s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
			Client { r: BufReader::new(s.try_clone().unwrap()), w: s }
		}
		fn send(&mut self, line: &str) {
			self.w.write_all(line.as_bytes()).unwrap();
			self.w.write_all(b"\n").unwrap();
		}
		fn recv(&mut self) -> Option<Value> {
			let mut l = String::new();
			match self.r.read_line(&mut l) {
				Ok(0) | Err(_) => None,
				Ok(_) => Some(serde_json::from_str(&l).unwrap()),
			}
		}
		/// The reply to request `id`, skipping notifications.
		fn reply(&mut self, id: u64) -> Value {
			loop {
				let v = self.recv().expect("connection open");
				if v["id"] == json!(id) {
					return v;
				}
			}
		}
		fn error_code(&mut self, id: u64) -> i64 {
			self.reply(id)["error"][0].as_i64().unwrap_or(0)
		}
	}

	fn start(password: Option<&str>) -> (Arc<Engine>, String) {
		let engine = Engine::start(0);
		engine.set_job(Some(job(0x2a)));
		let l = TcpListener::bind("127.0.0.1:0").unwrap();
		let addr = l.local_addr().unwrap().to_string();
		let server = Server::new(engine.clone(), password.map(|p| p.to_string()), 5.0, 1);
		thread::spawn(move || server.serve(l));
		(engine, addr)
	}

	/// Subscribe and authorize; returns the extranonce1 and extranonce2 size.
	fn login(c: &mut Client) -> (Vec<u8>, usize) {
		c.send(r#"{"id":1,"method":"mining.subscribe","params":["test/1.0"]}"#);
		let r = c.reply(1);
		let en1 = unhex(r["result"][1].as_str().unwrap()).unwrap();
		let size = r["result"][2].as_u64().unwrap() as usize;
		c.send(r#"{"id":2,"method":"mining.authorize","params":["w1","pw"]}"#);
		assert_eq!(c.reply(2)["result"], json!(true));
		(en1, size)
	}

	/// A nonce that makes a share of `job` at `difficulty` for these extranonces.
	fn find(job: &JobSpec, en1: &[u8], en2: &[u8], difficulty: u64) -> u32 {
		let view = job.view();
		(0u32..)
			.find(|n| {
				let s = pow::Share {
					extranonce1: en1,
					extranonce2: en2,
					ntime: job.ntime,
					nonce: *n,
					version_bits: None,
				};
				pow::check_share::<Sha2>(&view, &s, en2.len(), difficulty).is_ok()
			})
			.unwrap()
	}

	#[test]
	fn a_miner_subscribes_gets_work_and_its_shares_are_queued() {
		let (engine, addr) = start(Some("pw"));
		let mut c = Client::connect(&addr);
		c.send(r#"{"id":1,"method":"mining.subscribe","params":[]}"#);
		let r = c.reply(1);
		let en1 = unhex(r["result"][1].as_str().unwrap()).unwrap();
		assert_eq!(en1.len(), 6);
		assert_eq!(en1[..4], [0, 0, 0, 9], "the miner's space first");
		assert_eq!(r["result"][2], json!(2));
		// set_difficulty then notify with clean_jobs.
		let d = c.recv().unwrap();
		assert_eq!(d["method"], "mining.set_difficulty");
		let n = c.recv().unwrap();
		assert_eq!(n["method"], "mining.notify");
		assert_eq!(n["params"][0], "2a");
		assert_eq!(n["params"][8], json!(true));
		// The prevhash goes out word-swapped, as Stratum wants.
		assert_eq!(n["params"][1].as_str().unwrap(), hex(&pow::prevhash_from_stratum(&[5u8; 32])));
		// A second connection gets another extranonce1.
		let mut c2 = Client::connect(&addr);
		let (en1b, _) = login(&mut c2);
		assert_ne!(en1, en1b);
		c.send(r#"{"id":2,"method":"mining.authorize","params":["w1","pw"]}"#);
		assert_eq!(c.reply(2)["result"], json!(true));
		let j = job(0x2a);
		let nonce = find(&j, &en1, &[0, 1], 1);
		c.send(&format!(
			r#"{{"id":3,"method":"mining.submit","params":["w1","2a","0001","{:08x}","{:08x}"]}}"#,
			j.ntime, nonce
		));
		assert_eq!(c.reply(3)["result"], json!(true));
		let q = engine.drain(10);
		assert_eq!(q.len(), 1);
		assert_eq!((q[0].extranonce1.clone(), q[0].nonce, q[0].difficulty), (en1, nonce, 1));
		// Duplicate.
		c.send(&format!(
			r#"{{"id":4,"method":"mining.submit","params":["w1","2a","0001","{:08x}","{:08x}"]}}"#,
			j.ntime, nonce
		));
		assert_eq!(c.error_code(4), code::DUPLICATE);
		// A new job: clean_jobs goes out, and the old job's shares are stale.
		engine.set_job(Some(job(0x2b)));
		loop {
			let v = c.recv().unwrap();
			if v["method"] == "mining.notify" {
				assert_eq!(
					(v["params"][0].clone(), v["params"][8].clone()),
					(json!("2b"), json!(true))
				);
				break;
			}
		}
		c.send(&format!(
			r#"{{"id":5,"method":"mining.submit","params":["w1","2a","0002","{:08x}","{:08x}"]}}"#,
			j.ntime, nonce
		));
		assert_eq!(c.error_code(5), code::STALE);
		assert_eq!(engine.status().shares_found, 1);
	}

	#[test]
	fn pool_jobs_reach_miners_with_their_own_ids_and_a_new_pool_session_reconnects_them() {
		let (engine, addr) = start(None);
		// A pool's job: its extranonce1 (4 bytes), its difficulty 16, the chain's least 8.
		let pool_job = |seq: u32, en1: Vec<u8>| JobSpec {
			pool: Some(crate::work::PoolRef { job_id: format!("p{seq}"), difficulty: 16, seq }),
			difficulty: 8,
			extranonce1: en1,
			..job(0x2c)
		};
		engine.set_job(Some(pool_job(1, vec![0xaa, 0, 0, 1])));
		let mut c = Client::connect(&addr);
		c.send(r#"{"id":1,"method":"mining.subscribe","params":[]}"#);
		let r = c.reply(1);
		let en1 = unhex(r["result"][1].as_str().unwrap()).unwrap();
		assert_eq!(
			(en1[..4].to_vec(), en1.len(), r["result"][2].clone()),
			(vec![0xaa, 0, 0, 1], 6, json!(2))
		);
		let notify = loop {
			let v = c.recv().unwrap();
			if v["method"] == "mining.notify" {
				break v;
			}
		};
		c.send(r#"{"id":2,"method":"mining.authorize","params":["w1","pw"]}"#);
		assert_eq!(c.reply(2)["result"], json!(true));
		// The chain's job in the high 32 bits, the pool job's number in the low.
		assert_eq!(notify["params"][0], json!(format!("{:x}", (0x2cu64 << 32) | 1)));
		// A share meeting the chain's 8 but not the pool's 16: kept for the chain, not forwarded.
		let j = pool_job(1, vec![0xaa, 0, 0, 1]);
		let (nonce, en2) = (0u16..)
			.find_map(|e| {
				let en2 = e.to_be_bytes();
				let n = find(&j, &en1, &en2, 8);
				let s = pow::Share {
					extranonce1: &en1,
					extranonce2: &en2,
					ntime: j.ntime,
					nonce: n,
					version_bits: None,
				};
				let low = pow::check_share::<Sha2>(&j.view(), &s, 2, 16).is_err();
				low.then_some((n, en2))
			})
			.unwrap();
		c.send(&format!(
			r#"{{"id":3,"method":"mining.submit","params":["w1","{}","{}","{:08x}","{:08x}"]}}"#,
			notify["params"][0].as_str().unwrap(),
			hex(&en2),
			j.ntime,
			nonce
		));
		assert_eq!(c.reply(3)["result"], json!(true));
		let q = engine.drain(10);
		assert_eq!(q.len(), 1);
		assert!(!q[0].to_pool && q[0].difficulty == 8);
		assert_eq!(q[0].pool_job.as_ref().and_then(|p| p.pool.clone()).unwrap().job_id, "p1");
		// The pool's next job keeps the chain's queue; a new pool session (another extranonce1)
		// sends client.reconnect and closes the connection.
		engine.set_job(Some(pool_job(2, vec![0xaa, 0, 0, 1])));
		let v = loop {
			let v = c.recv().unwrap();
			if v["method"] == "mining.notify" {
				break v;
			}
		};
		assert_eq!(v["params"][0], json!(format!("{:x}", (0x2cu64 << 32) | 2)));
		engine.set_job(Some(pool_job(3, vec![0xbb, 0, 0, 2])));
		let v = loop {
			let v = c.recv().unwrap();
			if v["method"] != "mining.set_difficulty" {
				break v;
			}
		};
		assert_eq!(v["method"], "client.reconnect");
		assert!(c.recv().is_none(), "the connection is closed");
		// Subscribing again gives the new space.
		let mut c = Client::connect(&addr);
		let (en1, _) = login(&mut c);
		assert_eq!(en1[..4], [0xbb, 0, 0, 2]);
	}

	#[test]
	fn bad_input_gets_the_standard_errors_and_others_keep_being_served() {
		let (_engine, addr) = start(Some("pw"));
		let mut c = Client::connect(&addr);
		// Malformed JSON, unknown method, no method.
		c.send("{not json");
		assert_eq!(c.recv().unwrap()["error"][0], json!(code::OTHER));
		c.send(r#"{"id":7,"method":"mining.fly","params":[]}"#);
		assert_eq!(c.error_code(7), code::OTHER);
		c.send(r#"{"id":8,"params":[]}"#);
		assert_eq!(c.error_code(8), code::OTHER);
		// Not subscribed, then unauthorised (wrong password, then a worker never authorised).
		c.send(
			r#"{"id":9,"method":"mining.submit","params":["w1","2a","00000000","6553f100","00000000"]}"#,
		);
		assert_eq!(c.error_code(9), code::NOT_SUBSCRIBED);
		c.send(r#"{"id":10,"method":"mining.subscribe","params":[]}"#);
		c.reply(10);
		c.send(r#"{"id":11,"method":"mining.authorize","params":["w1","wrong"]}"#);
		assert_eq!(c.error_code(11), code::UNAUTHORIZED);
		c.send(
			r#"{"id":12,"method":"mining.submit","params":["w1","2a","0000","6553f100","00000000"]}"#,
		);
		assert_eq!(c.error_code(12), code::UNAUTHORIZED);
		c.send(r#"{"id":13,"method":"mining.authorize","params":["w1","pw"]}"#);
		assert_eq!(c.reply(13)["result"], json!(true));
		// Unknown job, malformed fields, wrong extranonce2 size, low difficulty.
		c.send(
			r#"{"id":14,"method":"mining.submit","params":["w1","ff","0000","6553f100","00000000"]}"#,
		);
		assert_eq!(c.error_code(14), code::STALE);
		c.send(
			r#"{"id":15,"method":"mining.submit","params":["w1","2a","zz","6553f100","00000000"]}"#,
		);
		assert_eq!(c.error_code(15), code::OTHER);
		c.send(
			r#"{"id":16,"method":"mining.submit","params":["w1","2a","000000","6553f100","00000000"]}"#,
		);
		assert_eq!(c.error_code(16), code::OTHER);
		let j = job(0x2a);
		// A nonce that does not meet difficulty 1 (overwhelmingly likely for nonce 0; find one).
		let view = j.view();
		let st = c.reply_en1();
		let bad = (0u32..)
			.find(|n| {
				let s = pow::Share {
					extranonce1: &st,
					extranonce2: &[0, 0],
					ntime: j.ntime,
					nonce: *n,
					version_bits: None,
				};
				pow::check_share::<Sha2>(&view, &s, 2, 1) == Err(pow::ShareError::LowDifficulty)
			})
			.unwrap();
		c.send(&format!(
			r#"{{"id":17,"method":"mining.submit","params":["w1","2a","0000","{:08x}","{:08x}"]}}"#,
			j.ntime, bad
		));
		assert_eq!(c.error_code(17), code::LOW_DIFFICULTY);
		// A slow client that never finishes its line does not hold up others.
		let mut slow = TcpStream::connect(&addr).unwrap();
		slow.write_all(br#"{"id":1,"method":"mining.sub"#).unwrap();
		let mut other = Client::connect(&addr);
		login(&mut other);
		// An oversized line closes that connection only.
		let mut big = Client::connect(&addr);
		big.send(&"x".repeat(MAX_LINE + 10));
		let first = big.recv();
		assert_eq!(first.map(|v| v["error"][0].clone()), Some(json!(code::OTHER)));
		assert!(big.recv().is_none(), "closed");
		c.send(r#"{"id":18,"method":"mining.fly","params":[]}"#);
		assert_eq!(c.error_code(18), code::OTHER, "the first miner is still served");
	}

	impl Client {
		/// Subscribe again to read this connection's extranonce1 (idempotent).
		fn reply_en1(&mut self) -> Vec<u8> {
			self.send(r#"{"id":99,"method":"mining.subscribe","params":[]}"#);
			let r = self.reply(99);
			unhex(r["result"][1].as_str().unwrap()).unwrap()
		}
	}
}
