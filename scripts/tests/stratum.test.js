#!/usr/bin/env node
// End to end: a real third-party Stratum V1 CPU miner (para, from crates.io) mines through
// computility-miner against a running node.
//
// A dev node's off-chain worker dispatches a miner server that has no built-in workers and
// serves Stratum V1 on localhost; para connects to it, subscribes, authorises and mines the jobs
// it is notified. Its shares reach the chain with its connection's extranonce1 and are verified
// there; when the first sub-account is up to standard the miner server notifies the next job
// with clean_jobs and para's shares go to the second sub-account.
import { check, log, runMain, submit, waitFor } from '../lib/chain.js';
import { Node, tmpDir } from '../lib/nodes.js';
import { Miner, ThirdPartyMiner } from '../lib/miner.js';
import { event, inBlock } from '../lib/market.js';
import { parties, registerMiners, task, watchEvents } from '../lib/hashpower.js';

runMain('stratum', async () => {
  const dir = tmpDir('stratum');
  const node = new Node({ name: 'alice', index: 8, chain: 'dev', dir, extraArgs: ['--force-authoring'] }).start();
  const server = new Miner({ name: 'miner-server', port: 18281, token: `server-${Date.now()}`, threads: 0, stratumPort: 13333, dir,
    extra: ['--share-seconds', '2', '--start-difficulty', '64'] });
  const para = new ThirdPartyMiner({ name: 'para', endpoint: '127.0.0.1:13333', dir });
  let api;
  let watch;
  try {
    api = await node.api();
    await server.start();
    const { provider, buyer, scheduler, unit } = await parties(api, 'Stratum');
    // Declared low: para on one core is the only hasher.
    const [id] = await registerMiners(api, provider, scheduler, [{ miner: server, declared: 500_000, standbyFor: null }]);
    watch = await watchEvents(api);
    const { seen } = watch;
    // Task difficulty 1/1024 (2^22 hashes); para's connection starts at 64/65536 and vardiff
    // aims at a share every 2 s.
    const subs = [];
    for (const [k, hashes] of [[0, 12n << 22n], [1, 12n << 22n]]) {
      const res = await submit(api, api.tx.hashpower.createSubAccount(hashes, unit, { Task: task(64, 20 + k) }, 'stratum+tcp://pool.example:3333', `buyer.farm${k}`), buyer, inBlock);
      check(res.dispatchError === null, `the buyer opened sub-account ${k} for ${hashes} hashes`);
      const c = event(res, 'hashpower', 'SubAccountCreated')[0];
      subs.push({ id: c.data.subAccount.toNumber(), job: c.data.job.toNumber() });
    }
    await waitFor(async () => (await server.status()).job_id === subs[0].job, 60_000, 'the miner server to get the first job');
    para.start();
    const conn = await waitFor(async () => (await server.status()).connections.find((c) => c.accepted > 0), 120_000, 'para to have a share accepted');
    check(conn.worker === para.worker && conn.extranonce1.startsWith(id.toString(16).padStart(8, '0')) && conn.extranonce1.length === 12,
      `para connected as ${conn.worker} with extranonce1 ${conn.extranonce1} (the miner's space + its connection)`);
    await waitFor(() => seen.find((e) => e.method === 'UpToStandard' && e.data.subAccount.toNumber() === subs[0].id), 240_000, `sub-account ${subs[0].id} up to standard`);
    const first = seen.filter((e) => e.method === 'SharesChecked' && e.data.subAccount.toNumber() === subs[0].id);
    const accepted = first.reduce((s, e) => s + e.data.accepted.toNumber(), 0);
    check(accepted > 0 && first.every((e) => e.data.miner.toNumber() === id), `the chain verified ${accepted} of para's shares for sub-account ${subs[0].id}`);
    check(seen.find((e) => e.method === 'Switched' && e.data.from.toNumber() === subs[0].id)?.data.to.unwrap().toNumber() === subs[1].id, 'switched to the second sub-account');
    await waitFor(async () => (await server.status()).job_id === subs[1].job, 60_000, 'the miner server to notify the second job');
    await waitFor(() => seen.find((e) => e.method === 'SharesChecked' && e.data.subAccount.toNumber() === subs[1].id && e.data.accepted.toNumber() > 0), 180_000, 'para\'s shares for the second job (after clean_jobs)');
    const st = await server.status();
    const c = st.connections.find((x) => x.worker === para.worker);
    check(c && c.accepted >= accepted, `para's connection: ${c.accepted} accepted, ${c.rejected} refused, difficulty ${c.difficulty / 65536}, ${c.hashrate} H/s`);
    log(`stratum: para mined ${c.accepted} shares through computility-miner; the chain verified them`);
  } catch (e) {
    console.error(node.tailLog(30));
    console.error(`--- miner server\n${server.tailLog(10)}\n--- para\n${para.tailLog(20)}`);
    throw e;
  } finally {
    if (watch) watch.stop();
    await para.stop();
    if (api) await api.disconnect();
    await server.kill();
    await node.stop();
  }
});
