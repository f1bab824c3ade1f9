//! A small HTTP/1.1 server for the scheduler (the node's off-chain worker) and operators. Every
//! request must carry `Authorization: Bearer <token>`. One thread per connection, bounded
//! header and body sizes, read timeouts; `Connection: close` after each answer.
//!
//! - `POST /job`: the job to work (JSON, see [`JobBody`]), or the buyer's pool to join
//!   ([`PoolBody`]); replaces the current one. With `"standby": true` the server keeps it as a
//!   warm standby: it holds the job (and the pool connection) and serves downstream miners, but
//!   its built-in workers idle until the job is sent without the mark.
//! - `GET /shares[?max=N]`: the chain's job worked on and up to N shares found since the last
//!   call, all for one job; for a pool, that pool job too (`pool_job`) (JSON); the rest wait for
//!   the next call.
//! - `GET /status`: job, hashrate, counters, the pool connection's and each Stratum
//!   connection's counters (JSON).
use crate::{
	upstream::{PoolConfig, Upstream},
	work::{Engine, JobSpec},
};
use serde::{Deserialize, Serialize};
use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	sync::Arc,
	thread,
	time::Duration,
};

const MAX_HEADER: usize = 16 * 1024;
const MAX_BODY: usize = 256 * 1024;

/// The `mining.notify` fields of a job in JSON: byte strings hex, hashes in header byte order.
#[derive(Debug, Deserialize, Serialize)]
pub struct NotifyFields {
	/// Previous block hash, 32 bytes.
	pub prev_hash: String,
	/// Coinbase before the extranonces.
	pub coinbase1: String,
	/// Coinbase after the extranonces.
	pub coinbase2: String,
	/// Merkle branch, 32 bytes each.
	pub merkle_branch: Vec<String>,
	/// Block version.
	pub version: u32,
	/// Network target, compact.
	pub nbits: u32,
	/// Block time.
	pub ntime: u32,
}

impl NotifyFields {
	fn of(job: &JobSpec) -> NotifyFields {
		NotifyFields {
			prev_hash: hex(&job.prev_hash),
			coinbase1: hex(&job.coinbase1),
			coinbase2: hex(&job.coinbase2),
			merkle_branch: job.merkle_branch.iter().map(|h| hex(h)).collect(),
			version: job.version,
			nbits: job.nbits,
			ntime: job.ntime,
		}
	}
}

/// `POST /job` body.
#[derive(Debug, Deserialize, Serialize)]
pub struct JobBody {
	/// The chain's job id.
	pub job_id: u64,
	/// What `mining.notify` carries.
	#[serde(flatten)]
	pub notify: NotifyFields,
	/// Share difficulty (65536 = 1).
	pub difficulty: u64,
	/// This miner's extranonce1.
	pub extranonce1: String,
	/// Bytes of extranonce2.
	pub extranonce2_size: u8,
	/// Keep the job as a warm standby (built-in workers idle) until sent without this.
	#[serde(default)]
	pub standby: bool,
}

/// `POST /job` body for a sub-account served by the buyer's pool.
#[derive(Debug, Deserialize)]
pub struct PoolBody {
	/// The chain's job id.
	pub job_id: u64,
	/// The pool and the buyer's worker there.
	pub pool: PoolConfig,
	/// Least share difficulty the chain credits (65536 = 1).
	pub difficulty: u64,
	/// Keep the pool as a warm standby (built-in workers idle) until sent without this.
	#[serde(default)]
	pub standby: bool,
}

/// A pool's job as `GET /shares` returns it beside the shares found for it.
#[derive(Debug, Serialize)]
pub struct PoolJobBody {
	/// The pool's job id.
	pub pool_job_id: String,
	/// What the pool's `mining.notify` carried.
	#[serde(flatten)]
	pub notify: NotifyFields,
	/// The pool's difficulty (65536 = 1).
	pub difficulty: u64,
	/// The pool's extranonce2 size.
	pub extranonce2_size: u8,
}

impl PoolJobBody {
	fn of(job: &JobSpec) -> Option<PoolJobBody> {
		let pool = job.pool.as_ref()?;
		Some(PoolJobBody {
			pool_job_id: pool.job_id.clone(),
			notify: NotifyFields::of(job),
			difficulty: pool.difficulty,
			extranonce2_size: job.extranonce2_size,
		})
	}
}

/// A share as `GET /shares` returns it.
#[derive(Debug, Serialize)]
pub struct ShareBody {
	/// Its job.
	pub job_id: u64,
	/// Extranonce1, hex.
	pub extranonce1: String,
	/// Difficulty it meets (65536 = 1).
	pub difficulty: u64,
	/// Rolled version bits, hex-free (a number), if any.
	pub version_bits: Option<u32>,
	/// Extranonce2, hex.
	pub extranonce2: String,
	/// Block time.
	pub ntime: u32,
	/// Nonce.
	pub nonce: u32,
}

/// Lower-case hex of bytes.
pub fn hex(b: &[u8]) -> String {
	b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Bytes of a hex string without prefix (any non-hex input, ASCII or not, is an error).
pub fn unhex(s: &str) -> Result<Vec<u8>, String> {
	if s.len() % 2 != 0 {
		return Err("odd hex length".into());
	}
	(0..s.len())
		.step_by(2)
		.map(|i| {
			s.get(i..i + 2)
				.and_then(|b| u8::from_str_radix(b, 16).ok())
				.ok_or_else(|| "bad hex digits".to_string())
		})
		.collect()
}

/// A hex field of a JSON body, with or without `0x`.
fn field(s: &str) -> Result<Vec<u8>, String> {
	unhex(s.strip_prefix("0x").unwrap_or(s))
}

fn hash32(s: &str) -> Result<[u8; 32], String> {
	field(s)?.try_into().map_err(|_| "a hash is 32 bytes".to_string())
}

impl JobBody {
	/// The job, or why it is malformed.
	pub fn into_spec(self) -> Result<JobSpec, String> {
		let n = self.notify;
		let spec = JobSpec {
			job_id: self.job_id,
			pool: None,
			prev_hash: hash32(&n.prev_hash)?,
			coinbase1: field(&n.coinbase1)?,
			coinbase2: field(&n.coinbase2)?,
			merkle_branch: n.merkle_branch.iter().map(|h| hash32(h)).collect::<Result<_, _>>()?,
			version: n.version,
			nbits: n.nbits,
			ntime: n.ntime,
			difficulty: self.difficulty,
			extranonce1: field(&self.extranonce1)?,
			extranonce2_size: self.extranonce2_size,
		};
		match spec.problem() {
			Some(p) => Err(p.into()),
			None => Ok(spec),
		}
	}
}

/// A parsed request.
struct Request {
	method: String,
	path: String,
	query: String,
	auth: Option<String>,
	body: Vec<u8>,
}

fn read_request(stream: &TcpStream) -> Result<Request, (u16, &'static str)> {
	let mut r = BufReader::new(stream.try_clone().map_err(|_| (500, "socket"))?);
	let mut line = String::new();
	let mut seen = 0usize;
	r.read_line(&mut line).map_err(|_| (400, "unreadable request line"))?;
	seen += line.len();
	let mut parts = line.split_whitespace();
	let method = parts.next().ok_or((400, "no method"))?.to_string();
	let target = parts.next().ok_or((400, "no path"))?.to_string();
	let (path, query) = match target.split_once('?') {
		Some((p, q)) => (p.to_string(), q.to_string()),
		None => (target, String::new()),
	};
	let mut len = 0usize;
	let mut chunked = false;
	let mut auth = None;
	loop {
		let mut h = String::new();
		let n = r.read_line(&mut h).map_err(|_| (400, "unreadable header"))?;
		seen += n;
		if seen > MAX_HEADER {
			return Err((431, "headers too large"));
		}
		let h = h.trim_end();
		if n == 0 || h.is_empty() {
			break;
		}
		if let Some((k, v)) = h.split_once(':') {
			let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
			if k == "content-length" {
				len = v.parse().map_err(|_| (400, "bad content-length"))?;
			} else if k == "transfer-encoding" {
				chunked = v.to_ascii_lowercase().contains("chunked");
			} else if k == "authorization" {
				auth = v.strip_prefix("Bearer ").map(|t| t.to_string());
			}
		}
	}
	let body = if chunked {
		read_chunked(&mut r)?
	} else {
		if len > MAX_BODY {
			return Err((413, "body too large"));
		}
		let mut body = vec![0u8; len];
		r.read_exact(&mut body).map_err(|_| (400, "short body"))?;
		body
	};
	Ok(Request { method, path, query, auth, body })
}

/// A `Transfer-Encoding: chunked` body (what clients streaming a body send).
fn read_chunked(r: &mut impl BufRead) -> Result<Vec<u8>, (u16, &'static str)> {
	let mut body = Vec::new();
	loop {
		let mut size = String::new();
		r.read_line(&mut size).map_err(|_| (400, "unreadable chunk size"))?;
		let size = size.trim().split(';').next().unwrap_or("");
		let n = usize::from_str_radix(size, 16).map_err(|_| (400, "bad chunk size"))?;
		if body.len() + n > MAX_BODY {
			return Err((413, "body too large"));
		}
		if n == 0 {
			// Trailers, up to the empty line.
			loop {
				let mut t = String::new();
				let k = r.read_line(&mut t).map_err(|_| (400, "unreadable trailer"))?;
				if k == 0 || t.trim().is_empty() {
					return Ok(body);
				}
			}
		}
		let start = body.len();
		body.resize(start + n, 0);
		r.read_exact(&mut body[start..]).map_err(|_| (400, "short chunk"))?;
		let mut crlf = [0u8; 2];
		r.read_exact(&mut crlf).map_err(|_| (400, "chunk not terminated"))?;
	}
}

fn respond(mut stream: &TcpStream, code: u16, body: &str) {
	let reason = match code {
		200 => "OK",
		400 => "Bad Request",
		401 => "Unauthorized",
		404 => "Not Found",
		405 => "Method Not Allowed",
		413 => "Payload Too Large",
		431 => "Request Header Fields Too Large",
		_ => "Error",
	};
	let _ = write!(
		stream,
		"HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	let _ = stream.flush();
}

fn error(msg: &str) -> String {
	serde_json::json!({ "error": msg }).to_string()
}

fn handle(
	stream: TcpStream,
	engine: &Arc<Engine>,
	token: &str,
	downstream: Option<&crate::stratum::Server>,
) {
	let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
	let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
	let req = match read_request(&stream) {
		Ok(r) => r,
		Err((code, msg)) => return respond(&stream, code, &error(msg)),
	};
	if req.auth.as_deref() != Some(token) {
		return respond(&stream, 401, &error("missing or wrong bearer token"));
	}
	match (req.method.as_str(), req.path.as_str()) {
		("POST", "/job") => match post_job(engine, &req.body) {
			Ok((job_id, replaced)) => respond(
				&stream,
				200,
				&serde_json::json!({ "job_id": job_id, "replaced": replaced }).to_string(),
			),
			Err(e) => respond(&stream, 400, &error(&e)),
		},
		("GET", "/shares") => {
			let max = req
				.query
				.split('&')
				.find_map(|kv| kv.strip_prefix("max="))
				.and_then(|v| v.parse().ok())
				.unwrap_or(64usize);
			let found = engine.drain(max);
			let pool_job =
				found.first().and_then(|f| f.pool_job.as_deref()).and_then(PoolJobBody::of);
			let shares: Vec<ShareBody> = found
				.into_iter()
				.map(|f| ShareBody {
					job_id: f.job_id,
					extranonce1: hex(&f.extranonce1),
					difficulty: f.difficulty,
					version_bits: f.version_bits,
					extranonce2: hex(&f.extranonce2),
					ntime: f.ntime,
					nonce: f.nonce,
				})
				.collect();
			let body = serde_json::json!({
				"job_id": engine.chain_job(),
				"standby": engine.standby(),
				"shares": shares,
				"pool_job": pool_job,
			});
			respond(&stream, 200, &body.to_string())
		},
		("GET", "/status") => {
			let s = engine.status();
			let body = serde_json::json!({
				"healthy": true,
				"job_id": s.job_id,
				"chain_job": engine.chain_job(),
				"standby": engine.standby(),
				"hashrate": s.hashrate,
				"hashes": s.hashes,
				"shares_found": s.shares_found,
				"queued": s.queued,
				"threads": s.threads,
				"uptime_s": s.uptime_s,
				"sha_ni": crate::sha::sha_ni(),
				"connections": downstream.map(|d| d.stats()).unwrap_or_default(),
				"pool": engine.upstream().map(|u| u.stats()),
			});
			respond(&stream, 200, &body.to_string())
		},
		(_, "/job" | "/shares" | "/status") => respond(&stream, 405, &error("method not allowed")),
		_ => respond(&stream, 404, &error("no such endpoint")),
	}
}

/// Take the job of a `POST /job` body: a task, or the buyer's pool to join (kept if it is
/// already the one served). The chain's job id and whether anything changed, or why not.
fn post_job(engine: &Arc<Engine>, body: &[u8]) -> Result<(u64, bool), String> {
	let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("bad job: {e}"))?;
	if v.get("pool").is_some() {
		let b: PoolBody = serde_json::from_value(v).map_err(|e| format!("bad pool job: {e}"))?;
		engine.set_standby(b.standby);
		if engine.upstream().is_some_and(|u| u.serves(&b.pool, b.job_id, b.difficulty)) {
			return Ok((b.job_id, false));
		}
		let up = Upstream::start(engine, b.pool, b.job_id, b.difficulty)?;
		if engine.job().is_some_and(|j| j.job_id != b.job_id) {
			engine.set_job(None);
		}
		engine.set_upstream(Some(up));
		return Ok((b.job_id, true));
	}
	let body = serde_json::from_value::<JobBody>(v).map_err(|e| format!("bad job: {e}"))?;
	let standby = body.standby;
	let spec = body.into_spec()?;
	engine.set_standby(standby);
	let same = engine.upstream().is_none() && engine.job().is_some_and(|j| *j == spec);
	let job_id = spec.job_id;
	if !same {
		engine.set_task(spec);
	}
	Ok((job_id, !same))
}

/// Serve until the process ends.
pub fn serve(
	listener: TcpListener,
	engine: Arc<Engine>,
	token: String,
	downstream: Option<Arc<crate::stratum::Server>>,
) {
	let token = Arc::new(token);
	for stream in listener.incoming() {
		let Ok(stream) = stream else { continue };
		let (engine, token, downstream) = (engine.clone(), token.clone(), downstream.clone());
		let _ = thread::Builder::new()
			.name("http".into())
			.spawn(move || handle(stream, &engine, &token, downstream.as_deref()));
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::io::Cursor;

	#[test]
	fn chunked_bodies_are_read_whole() {
		let raw = b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";
		assert_eq!(read_chunked(&mut Cursor::new(&raw[..])).unwrap(), b"hello, world".to_vec());
		// Bad size, short chunk, too large.
		assert_eq!(read_chunked(&mut Cursor::new(&b"zz\r\n"[..])).unwrap_err().0, 400);
		assert_eq!(read_chunked(&mut Cursor::new(&b"9\r\nabc"[..])).unwrap_err().0, 400);
		let big = format!("{:x}\r\n", MAX_BODY + 1);
		assert_eq!(read_chunked(&mut Cursor::new(big.as_bytes())).unwrap_err().0, 413);
	}

	#[test]
	fn the_schedulers_bodies_are_read_and_pool_jobs_written_flat() {
		// As the off-chain worker writes them (pallet_hashpower::ocw).
		let task = format!(
			"{{\"job_id\":3,\"prev_hash\":\"{}\",\"coinbase1\":\"01020304\",\"coinbase2\":\"0506\",\"merkle_branch\":[\"{}\"],\"version\":536870912,\"nbits\":486604799,\"ntime\":1700000000,\"difficulty\":7,\"extranonce1\":\"00000002\",\"extranonce2_size\":4,\"standby\":true}}",
			"07".repeat(32),
			"09".repeat(32)
		);
		let b: JobBody = serde_json::from_str(&task).unwrap();
		assert!(b.standby);
		let spec = b.into_spec().unwrap();
		assert_eq!(
			(spec.job_id, spec.coinbase1.clone(), spec.difficulty),
			(3, vec![1, 2, 3, 4], 7)
		);
		let pool = r#"{"job_id":4,"pool":{"url":"stratum+tcp://p:1","worker":"a\"b","password":"p\\w\u000a"},"difficulty":128}"#;
		let p: PoolBody = serde_json::from_str(pool).unwrap();
		assert_eq!(
			(p.pool.worker.as_str(), p.pool.password.as_str(), p.standby),
			("a\"b", "p\\w\n", false)
		);
		// What `GET /shares` returns with a pool's shares: the fields at the top level.
		let job = crate::work::JobSpec {
			pool: Some(crate::work::PoolRef { job_id: "j1".into(), difficulty: 64, seq: 1 }),
			..spec
		};
		let v = serde_json::to_value(PoolJobBody::of(&job).unwrap()).unwrap();
		assert_eq!(v["pool_job_id"], "j1");
		assert_eq!(v["coinbase1"], "01020304");
		assert_eq!((v["difficulty"].as_u64(), v["extranonce2_size"].as_u64()), (Some(64), Some(4)));
	}

	#[test]
	fn jobs_are_checked_before_they_are_worked() {
		let job = |en2: u8, diff: u64, prev: &str| JobBody {
			job_id: 1,
			notify: NotifyFields {
				prev_hash: prev.into(),
				coinbase1: "01".into(),
				coinbase2: "02".into(),
				merkle_branch: vec![],
				version: 1,
				nbits: 0x1d00ffff,
				ntime: 0,
			},
			difficulty: diff,
			extranonce1: "00000001".into(),
			extranonce2_size: en2,
			standby: false,
		};
		let ok = "00".repeat(32);
		assert!(job(4, 1, &ok).into_spec().is_ok());
		assert!(job(9, 1, &ok).into_spec().is_err());
		assert!(job(4, 0, &ok).into_spec().is_err());
		assert!(job(4, 1, "00").into_spec().is_err());
		assert!(job(4, 1, "zz").into_spec().is_err());
		assert!(job(4, 1, &format!("0x{ok}")).into_spec().is_ok());
		assert!(
			job(4, 1, &format!("a\u{e9}a{}", "0".repeat(60))).into_spec().is_err(),
			"non-ASCII"
		);
	}
}
