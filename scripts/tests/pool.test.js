#!/usr/bin/env node
// End to end: the buyer's own pool. A sub-account is served by the buyer's Stratum pool (a test
// pool that checks shares the way classic pools do, with its own SHA-256): the node's off-chain
// worker sends the miner server the pool's URL, worker name and password (from off-chain
// storage); the miner server joins the pool as a Stratum client and relays its jobs to a
// third-party miner (para, from crates.io) connected to its Stratum port; shares meeting the
// pool's difficulty go to the pool and are accepted there, and the chain verifies them against
// the pool's jobs, whose coinbase must pay the buyer's payout script.
//
// Failover as the miners see it: the primary miner server is killed; its standby, kept warm by
// the off-chain worker (joined to the pool, built-in workers idle) and configured with the same
// Stratum address, takes the address over; para reconnects to it and goes on mining; the chain
// fails the silent primary over and the standby's shares are credited until the sub-account is up
// to standard.
import { stringToHex } from '@polkadot/util';
import { check, log, runMain, submit, waitFor } from '../lib/chain.js';
import { Node, tmpDir } from '../lib/nodes.js';
import { Miner, ThirdPartyMiner } from '../lib/miner.js';
import { event, inBlock } from '../lib/market.js';
import { parties, registerMiners, watchEvents } from '../lib/hashpower.js';
import { TestPool } from '../lib/pool.js';

const PAYOUT = `76a914${'c0'.repeat(20)}88ac`; // P2PKH to the pool's key hash
const WORKER = 'buyer.farm1';
const PASSWORD = `pool-secret-${Date.now()}`;

runMain('pool', async () => {
  const dir = tmpDir('pool');
  const node = new Node({ name: 'alice', index: 7, chain: 'dev', dir, extraArgs: ['--force-authoring'] }).start();
  // Pool difficulty 1/1024 (2^22 hashes a share); the chain credits shares from 1/2048 on.
  const pool = new TestPool({ port: 13340, difficulty: 1 / 1024, payout: PAYOUT, workers: { [WORKER]: PASSWORD } });
  const extra = ['--share-seconds', '2', '--start-difficulty', '64'];
  const primary = new Miner({ name: 'primary', port: 18381, token: `primary-${Date.now()}`, threads: 0, stratumPort: 13336, dir, extra });
  const standby = new Miner({ name: 'standby', port: 18382, token: `standby-${Date.now()}`, threads: 0, stratumPort: 13336, dir, extra });
  const para = new ThirdPartyMiner({ name: 'para', endpoint: '127.0.0.1:13336', dir });
  let api;
  let watch;
  try {
    await pool.start();
    api = await node.api();
    await primary.start();
    await standby.start();
    const { provider, buyer, scheduler, unit } = await parties(api, 'Pool');
    const [a, b] = await registerMiners(api, provider, scheduler,
      [{ miner: primary, declared: 500_000, standbyFor: null }, { miner: standby, declared: 500_000, standbyFor: 0 }]);
    watch = await watchEvents(api);
    const { seen } = watch;

    const sub = (await api.query.hashpower.nextSubAccountId()).toNumber();
    await api.rpc.offchain.localStorageSet('PERSISTENT', stringToHex(`computility::pool-password::${sub}`), stringToHex(PASSWORD));
    const hashes = 150n << 22n;
    const res = await submit(api, api.tx.hashpower.createSubAccount(hashes, unit,
      { Pool: { difficulty: 32, payout: `0x${PAYOUT}` } }, 'stratum+tcp://127.0.0.1:13340', WORKER), buyer, inBlock);
    check(res.dispatchError === null, `the buyer opened sub-account ${sub} served by its pool, for ${hashes} hashes`);
    const job = event(res, 'hashpower', 'SubAccountCreated')[0].data.job.toNumber();
    const bad = await submit(api, api.tx.hashpower.createSubAccount(hashes, unit, { Pool: { difficulty: 32, payout: '0x' } }, 'http://127.0.0.1:13340', WORKER), buyer, inBlock);
    check(bad.dispatchError === 'hashpower.InvalidPool', `a pool sub-account without a stratum+tcp:// centre is refused (${bad.dispatchError})`);

    // Both miner servers join the pool: the primary to work, the standby warm.
    const joined = async (m) => (await m.status()).pool;
    const pa = await waitFor(async () => { const p = await joined(primary); return p?.authorized && p.jobs > 0 && p; }, 90_000, 'the primary to join the pool');
    check(pa.worker === WORKER && pa.chain_job === job, `the primary joined the pool as ${pa.worker} (extranonce1 ${pa.extranonce1}, difficulty ${pa.difficulty / 65536})`);
    await waitFor(async () => { const s = await standby.status(); return s.standby && s.pool?.authorized && s.pool.jobs > 0; }, 90_000, 'the standby to join the pool, warm');
    para.start();
    const conn = await waitFor(async () => (await primary.status()).connections.find((c) => c.accepted > 0), 120_000, 'para to have a share accepted by the primary');
    check(conn.extranonce1.startsWith(pa.extranonce1) && conn.extranonce1.length === pa.extranonce1.length + 4,
      `para works the pool's jobs with extranonce1 ${conn.extranonce1} (the pool's ${pa.extranonce1} + its connection)`);
    await waitFor(async () => (await joined(primary)).accepted >= 2, 120_000, 'the pool to accept forwarded shares');
    await waitFor(() => seen.find((e) => e.method === 'SharesChecked' && e.data.miner.toNumber() === a && e.data.accepted.toNumber() > 0), 120_000, 'the chain to verify shares of the pool\'s jobs');
    const before = await joined(primary);
    const mine = pool.bySession[before.extranonce1] || 0;
    check(before.accepted > 0 && before.rejected === 0 && mine >= before.accepted,
      `the pool accepted ${mine} shares from the primary's session (its count: ${before.accepted} accepted, ${before.rejected} refused)`);

    // The primary crashes: para reconnects to the same address, now the standby's.
    await primary.kill();
    log('killed the primary miner server');
    const taken = await waitFor(async () => (await standby.status()).connections.find((c) => c.accepted > 0), 180_000, 'para to reconnect to the standby and have shares accepted');
    const sb = await joined(standby);
    check(taken.extranonce1.startsWith(sb.extranonce1), `para reconnected to the standby (extranonce1 ${taken.extranonce1})`);
    const fo = await waitFor(() => seen.find((e) => e.method === 'MinerFailedOver' && e.data.failed.toNumber() === a), 240_000, 'the chain to fail the primary over');
    check(fo.data.standby.unwrap().toNumber() === b, `the chain failed #${a} over to #${b} (delivered ${fo.data.delivered} of ${fo.data.expected} hashes expected)`);
    await waitFor(() => seen.find((e) => e.method === 'UpToStandard' && e.data.subAccount.toNumber() === sub), 300_000, `sub-account ${sub} up to standard`);
    const checked = seen.filter((e) => e.method === 'SharesChecked' && e.data.subAccount.toNumber() === sub);
    const count = (m) => checked.filter((e) => e.data.miner.toNumber() === m).reduce((s, e) => s + e.data.accepted.toNumber(), 0);
    check(count(a) > 0 && count(b) > 0, `the chain verified ${count(a)} shares through the primary and ${count(b)} through the standby`);
    const s = (await api.query.hashpower.subAccounts(sub)).unwrap();
    check(s.work.toBigInt() === hashes && s.paid.toBigInt() === s.escrow.toBigInt(), `work credited ${s.work} = the standard; escrow paid out ${s.paid}`);
    const after = await joined(standby);
    check(after.accepted > 0 && (pool.bySession[after.extranonce1] || 0) >= after.accepted,
      `the pool accepted the standby's shares (${after.accepted}); in all ${pool.accepted} accepted, refused by code ${JSON.stringify(pool.rejected)}`);
    log(`pool: para mined through two miner servers for the buyer's pool; the chain credited ${s.work} hashes`);
  } catch (e) {
    console.error(node.tailLog(30));
    console.error(`--- primary\n${primary.tailLog(10)}\n--- standby\n${standby.tailLog(10)}\n--- para\n${para.tailLog(20)}`);
    throw e;
  } finally {
    if (watch) watch.stop();
    await para.stop();
    if (api) await api.disconnect();
    await primary.kill();
    await standby.kill();
    await node.stop();
    await pool.stop();
  }
});
