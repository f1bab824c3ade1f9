#!/usr/bin/env node
// End to end: a real third-party Stratum V1 CPU miner (para, from crates.io) mines through
// computility-miner against a running node.
//
// A dev node's off-chain worker dispatches a miner server that has no built-in workers and
// serves Stratum V1 on localhost; para connects to it, subscribes, authorises and mines the jobs
// it is notified. Its shares reach the chain with its connection's extranonce1 and are verified
// there; when the first sub-account is up to standard the miner server notifies the next job
// with clean_jobs and para's shares go to the second sub-account.
import { u8aToHex, stringToHex } from '@polkadot/util';
import { check, councilMotion, devKeyring, log, runMain, submit, waitFor } from '../lib/chain.js';
import { Node, tmpDir } from '../lib/nodes.js';
import { Miner, ThirdPartyMiner } from '../lib/miner.js';
import { event, inBlock, join } from '../lib/market.js';


function task(difficulty, seed) {
  return {
    prevHash: u8aToHex(new Uint8Array(32).fill(seed)),
    coinbase1: u8aToHex(new Uint8Array(42).fill(1)),
    coinbase2: u8aToHex(new Uint8Array(40).fill(2)),
    merkleBranch: [u8aToHex(new Uint8Array(32).fill(3))],
    version: 0x20000000,
    nbits: 0x1d00ffff,
    ntime: 1_700_000_000,
    difficulty,
    extranonce2Size: 4,
  };
}

runMain('stratum', async () => {
  const dir = tmpDir('stratum');
  const node = new Node({ name: 'alice', index: 8, chain: 'dev', dir, extraArgs: ['--force-authoring'] }).start();
  const server = new Miner({ name: 'miner-server', port: 18281, token: `server-${Date.now()}`, threads: 0, stratumPort: 13333, dir,
    extra: ['--share-seconds', '2', '--start-difficulty', '64'] });
  const para = new ThirdPartyMiner({ name: 'para', endpoint: '127.0.0.1:13333', dir });
  let api;
  const seen = [];
  let unsub;
  try {
    api = await node.api();
    await server.start();
    const { alice, bob, keyring } = await devKeyring();
    const tag = Date.now();
    const provider = keyring.addFromUri(`//StratumProvider-${tag}`);
    const buyer = keyring.addFromUri(`//StratumBuyer-${tag}`);
    const scheduler = keyring.addFromUri(`//StratumScheduler-${tag}`);
    const unit = 10n ** BigInt(api.registry.chainDecimals[0]);
    for (const who of [provider, buyer]) {
      const f = await submit(api, api.tx.balances.transferKeepAlive(who.address, 1000n * unit), alice, inBlock);
      check(f.dispatchError === null, `funded ${who.address.slice(0, 8)}…`);
    }
    await join(api, provider, 'Provider', 'Farm operator', alice.address, alice, bob);
    await join(api, buyer, 'Buyer', 'Hashrate buyer', alice.address, alice, bob);
    await api.rpc.author.insertKey('hash', `//StratumScheduler-${tag}`, u8aToHex(scheduler.publicKey));
    const id = (await api.query.hashpower.nextMinerId()).toNumber();
    await api.rpc.offchain.localStorageSet('PERSISTENT', stringToHex(`computility::miner-token::${id}`), stringToHex(server.token));
    // Declared low: para on one core is the only hasher.
    const r = await submit(api, api.tx.hashpower.registerMiner(server.url, 500_000, scheduler.address, null), provider, inBlock);
    check(r.dispatchError === null, `the provider registered its miner server #${id}`);

    unsub = await api.rpc.chain.subscribeNewHeads(async (header) => {
      const events = await (await api.at(header.hash)).query.system.events();
      for (const { event: e } of events) if (e.section === 'hashpower') seen.push({ method: e.method, data: e.data });
    });
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
    if (unsub) unsub();
    await para.stop();
    if (api) await api.disconnect();
    await server.kill();
    await node.stop();
  }
});
