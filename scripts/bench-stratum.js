#!/usr/bin/env node
// Hashrate of computility-miner's built-in workers and of a third-party Stratum V1 miner (para,
// from crates.io) mining through computility-miner's Stratum port, one after the other in the
// same run, on one core each, and their ratio.
//
// Built-in: the miner's exact hash counter over the window. Third party: the work of its
// accepted shares (difficulty × 2^32 each) over the window, at a low difficulty so that many
// shares fall in it. Then the same miner through computility-miner relaying to a pool (the
// tests' pool): the work the pool accepted over the window, beside the work the miner server
// accepted from para in the same window (what the relay passes on).
// Usage: node scripts/bench-stratum.js [seconds, default 30]
import fs from 'node:fs';
import { log, runMain, sleep } from './lib/chain.js';
import { tmpDir } from './lib/nodes.js';
import { Miner, ThirdPartyMiner } from './lib/miner.js';
import { TestPool } from './lib/pool.js';

const seconds = Number(process.argv[2] ?? 30);
const job = (difficulty) => JSON.stringify({
  job_id: 1, prev_hash: '11'.repeat(32), coinbase1: '01'.repeat(42), coinbase2: '02'.repeat(40),
  merkle_branch: ['03'.repeat(32)], version: 0x20000000, nbits: 0x1d00ffff, ntime: 1700000000,
  difficulty, extranonce1: '00000001', extranonce2_size: 4,
});

async function post(m, body) {
  const r = await fetch(`${m.url}/job`, { method: 'POST', headers: { Authorization: `Bearer ${m.token}`, 'Content-Type': 'application/json' }, body });
  if (r.status !== 200) throw new Error(`POST /job: ${r.status}`);
}

runMain('bench-stratum', async () => {
  const dir = tmpDir('bench-stratum');
  // 1. Built-in workers: one thread, exact hash count.
  const builtin = new Miner({ name: 'builtin', port: 18381, token: 'bench-token-1', threads: 1, dir });
  await builtin.start();
  await post(builtin, job(1 << 30));
  await sleep(3000);
  let a = await builtin.status();
  const t0 = Date.now();
  await sleep(seconds * 1000);
  let b = await builtin.status();
  const builtinRate = (b.hashes - a.hashes) / ((Date.now() - t0) / 1000);
  await builtin.kill();
  log(`built-in workers, 1 thread:   ${(builtinRate / 1e6).toFixed(2)} MH/s`);

  // 2. para through the Stratum port: no built-in workers, one core.
  const server = new Miner({ name: 'stratum', port: 18382, token: 'bench-token-2', threads: 0, stratumPort: 13334, dir,
    extra: ['--share-seconds', '0.25', '--start-difficulty', '16'] });
  await server.start();
  await post(server, job(1));
  const para = new ThirdPartyMiner({ name: 'para', endpoint: '127.0.0.1:13334', dir, cores: 1 }).start();
  try {
    await sleep(8000);
    const conn = async () => (await server.status()).connections.find((c) => c.worker === para.worker);
    a = await conn();
    if (!a) throw new Error(`para did not connect:\n${para.tailLog()}`);
    const t1 = Date.now();
    await sleep(seconds * 1000);
    b = await conn();
    const paraRate = (b.work - a.work) / ((Date.now() - t1) / 1000);
    const shares = b.accepted - a.accepted;
    log(`para (third party), 1 core:  ${(paraRate / 1e6).toFixed(2)} MH/s (from ${shares} accepted shares, ${b.rejected} refused; ±${(100 / Math.sqrt(Math.max(shares, 1))).toFixed(0)} %)`);
    log(`ratio third party / built-in: ${(paraRate / builtinRate).toFixed(2)}`);
    fs.writeFileSync(`${dir}/result.json`, JSON.stringify({ builtinRate, paraRate, shares }));
  } finally {
    await para.stop();
    await server.kill();
  }

  // 3. para through computility-miner to a pool: the miner server joins the pool and relays.
  // Pool and miner at the same difficulty (16/65536) and no vardiff above it: every share para
  // finds meets the pool's difficulty and is forwarded.
  const pool = await new TestPool({ port: 13341, difficulty: 16 / 65536, payout: '6a', workers: { 'bench.relay': 'x' }, jobSeconds: 600 }).start();
  const relay = new Miner({ name: 'relay', port: 18383, token: 'bench-token-3', threads: 0, stratumPort: 13335, dir,
    extra: ['--share-seconds', '0.01', '--start-difficulty', '16'] });
  await relay.start();
  await post(relay, JSON.stringify({ job_id: 2, pool: { url: 'stratum+tcp://127.0.0.1:13341', worker: 'bench.relay', password: 'x' }, difficulty: 16 }));
  const para2 = new ThirdPartyMiner({ name: 'para-relay', endpoint: '127.0.0.1:13335', dir, cores: 1 });
  try {
    await sleep(3000);
    para2.start();
    await sleep(8000);
    const st = async () => {
      const s = await relay.status();
      return { pool: s.pool, conn: s.connections.find((c) => c.worker === para2.worker), poolAccepted: pool.accepted };
    };
    a = await st();
    if (!a.conn || !a.pool?.authorized) throw new Error(`the relay is not up:\n${relay.tailLog()}\n${para2.tailLog()}`);
    const t2 = Date.now();
    await sleep(seconds * 1000);
    b = await st();
    const dt = (Date.now() - t2) / 1000;
    const poolShares = b.poolAccepted - a.poolAccepted;
    const poolRate = (poolShares * 16 * 65536) / dt;
    const relayIn = (b.conn.work - a.conn.work) / dt;
    log(`para through computility-miner, at the pool: ${(poolRate / 1e6).toFixed(2)} MH/s (${poolShares} shares accepted by the pool, ${b.pool.rejected} refused; ±${(100 / Math.sqrt(Math.max(poolShares, 1))).toFixed(0)} %)`);
    log(`relayed / accepted from para in the same window: ${(poolRate / relayIn).toFixed(3)}; pool-side rate / built-in: ${(poolRate / builtinRate).toFixed(2)}`);
  } finally {
    await para2.stop();
    await relay.kill();
    await pool.stop();
  }
});
