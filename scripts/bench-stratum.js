#!/usr/bin/env node
// Hashrate of computility-miner's built-in workers and of a third-party Stratum V1 miner (para,
// from crates.io) mining through computility-miner's Stratum port, one after the other in the
// same run, on one core each, and their ratio.
//
// Built-in: the miner's exact hash counter over the window. Third party: the work of its
// accepted shares (difficulty × 2^32 each) over the window, at a low difficulty so that many
// shares fall in it. Usage: node scripts/bench-stratum.js [seconds, default 30]
import fs from 'node:fs';
import { log, runMain, sleep } from './lib/chain.js';
import { tmpDir } from './lib/nodes.js';
import { Miner, ThirdPartyMiner } from './lib/miner.js';

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
});
