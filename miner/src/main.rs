//! `computility-miner`: a miner server. The node's off-chain worker (the scheduler) sends it the
//! current sub-account's job over authenticated HTTP (a task, or the buyer's Stratum pool to
//! join); its workers and its downstream Stratum miners search nonces and it returns the shares
//! found (and forwards to the pool those meeting its difficulty). `bench` measures its hashrate against this machine's SHA-256
//! compression limit.
mod http;
mod sha;
mod stratum;
mod upstream;
mod work;

use clap::{Parser, Subcommand};
use std::{
	net::TcpListener,
	time::{Duration, Instant},
};

#[derive(Parser)]
#[command(name = "computility-miner", version, about)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Serve jobs from the scheduler.
	Serve {
		/// Address to listen on.
		#[arg(long, default_value = "127.0.0.1:8081")]
		listen: String,
		/// Bearer token the scheduler must present (default: $COMPUTILITY_MINER_TOKEN).
		#[arg(long)]
		token: Option<String>,
		/// Worker threads (default: one per core; 0: downstream miners only).
		#[arg(long)]
		threads: Option<usize>,
		/// Also accept Stratum V1 miners on this address (e.g. 0.0.0.0:3333). If it is in use (a
		/// standby configured with its primary's address), it is taken over once free: miners
		/// reconnecting to it then reach this server.
		#[arg(long)]
		stratum: Option<String>,
		/// Password Stratum miners must give in `mining.authorize` (default: any).
		#[arg(long)]
		stratum_password: Option<String>,
		/// Seconds between shares each Stratum miner's difficulty aims at.
		#[arg(long, default_value_t = 5.0)]
		share_seconds: f64,
		/// First difficulty of a Stratum miner, in 1/65536 units (never below the job's).
		#[arg(long, default_value_t = 1024)]
		start_difficulty: u64,
	},
	/// Measure hashes per second per core beside the SHA-256 compression limit.
	Bench {
		/// Seconds for each measurement.
		#[arg(long, default_value_t = 5)]
		seconds: u64,
		/// Worker threads for the all-cores figure (default: one per core).
		#[arg(long)]
		threads: Option<usize>,
	},
}

fn cores() -> usize {
	std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

fn main() {
	match Cli::parse().command {
		Command::Serve {
			listen,
			token,
			threads,
			stratum,
			stratum_password,
			share_seconds,
			start_difficulty,
		} => {
			let token =
				token.or_else(|| std::env::var("COMPUTILITY_MINER_TOKEN").ok()).unwrap_or_default();
			if token.len() < 8 {
				eprintln!("computility-miner: the token must have at least 8 characters");
				std::process::exit(2);
			}
			let listener = match TcpListener::bind(&listen) {
				Ok(l) => l,
				Err(e) => {
					eprintln!("computility-miner: cannot listen on {listen}: {e}");
					std::process::exit(1);
				},
			};
			let threads = threads.unwrap_or_else(cores);
			let engine = work::Engine::start(threads);
			println!(
				"computility-miner: listening on {listen}, {threads} workers, SHA-NI {}",
				if sha::sha_ni() { "yes" } else { "no" }
			);
			let downstream = match stratum {
				Some(addr) => {
					let l = stratum_listener(&addr);
					let server = stratum::Server::new(
						engine.clone(),
						stratum_password,
						share_seconds,
						start_difficulty,
					);
					let s = server.clone();
					std::thread::spawn(move || {
						// A standby sharing its primary's address takes it over when it is free.
						let l = l.unwrap_or_else(|| wait_for_address(&addr));
						println!("computility-miner: Stratum V1 on {addr}");
						s.serve(l)
					});
					Some(server)
				},
				None => None,
			};
			http::serve(listener, engine, token, downstream);
		},
		Command::Bench { seconds, threads } => {
			bench(Duration::from_secs(seconds.max(1)), threads.unwrap_or_else(cores))
		},
	}
}

/// The Stratum listener on `addr`; `None` while another process (the primary this miner server
/// stands by for) holds it. Any other error ends the process.
fn stratum_listener(addr: &str) -> Option<TcpListener> {
	match TcpListener::bind(addr) {
		Ok(l) => Some(l),
		Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
			println!(
				"computility-miner: Stratum address {addr} in use: taking it over when it is free"
			);
			None
		},
		Err(e) => {
			eprintln!("computility-miner: cannot listen for Stratum on {addr}: {e}");
			std::process::exit(1);
		},
	}
}

/// Bind `addr` as soon as it is free (miners reconnecting to it then reach this server).
fn wait_for_address(addr: &str) -> TcpListener {
	loop {
		std::thread::sleep(Duration::from_millis(250));
		if let Ok(l) = TcpListener::bind(addr) {
			return l;
		}
	}
}

/// Compressions per second on one core: the bound on nonces per second is half of it.
fn compression_limit(d: Duration) -> f64 {
	let mut st = sha::H0;
	let mut block = [0u8; 64];
	let mut n = 0u64;
	let start = Instant::now();
	while start.elapsed() < d {
		for _ in 0..(1 << 16) {
			block[0] = block[0].wrapping_add(1);
			sha2_simd::block_api::compress256(&mut st, core::slice::from_ref(&block));
		}
		n += 1 << 16;
	}
	std::hint::black_box(st);
	n as f64 / start.elapsed().as_secs_f64()
}

fn miner_rate(d: Duration, threads: usize) -> f64 {
	let e = work::Engine::start(threads);
	e.set_job(Some(work::JobSpec {
		job_id: 1,
		pool: None,
		prev_hash: [7u8; 32],
		coinbase1: vec![1; 40],
		coinbase2: vec![2; 40],
		merkle_branch: vec![[3u8; 32]; 8],
		version: 0x2000_0000,
		nbits: 0x1703_a30c,
		ntime: 1_700_000_000,
		difficulty: u64::MAX, // nothing is ever found: pure search
		extranonce1: vec![0, 0, 0, 1],
		extranonce2_size: 4,
	}));
	std::thread::sleep(Duration::from_millis(300));
	let (t0, h0) = (Instant::now(), e.hashes());
	std::thread::sleep(d);
	let rate = (e.hashes() - h0) as f64 / t0.elapsed().as_secs_f64();
	e.stop();
	std::thread::sleep(Duration::from_millis(100));
	rate
}

fn bench(d: Duration, threads: usize) {
	println!(
		"computility-miner bench: {} s per figure, SHA-NI {}",
		d.as_secs(),
		if sha::sha_ni() { "yes" } else { "no" }
	);
	let c = compression_limit(d);
	let limit = c / 2.0;
	println!("sha256 compressions/s (1 core)          {:>14.0}", c);
	println!("nonce limit per core (2 compressions)   {:>14.0} H/s", limit);
	let one = miner_rate(d, 1);
	println!("miner, 1 worker                         {:>14.0} H/s", one);
	println!("ratio to the limit                      {:>14.1} %", 100.0 * one / limit);
	let all = miner_rate(d, threads);
	println!(
		"miner, {threads} workers                        {:>14.0} H/s ({:.0} H/s per core)",
		all,
		all / threads as f64
	);
}
