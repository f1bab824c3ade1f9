#!/usr/bin/env node
// End to end: hashing power split between two sub-accounts and delivered by two miner servers
// that the node's off-chain worker dispatches.
//
// A dev node runs with its off-chain worker; two computility-miner processes serve on
// localhost (a primary and its standby), each with its own bearer token, which the operator
// puts into the node's off-chain storage; the scheduler key (type `hash`) goes into the node's
// keystore. A provider registers both miners; a buyer opens two sub-accounts. The off-chain
// worker sends the first sub-account's job to the primary, collects its shares and submits them;
// the chain verifies each share (SHA-256d against the share target), credits work, pays the
// provider from escrow. When the first is up to standard the worker switches the miner to the
// second (a new job). The primary is then killed: after a window without delivery its standby
// takes over, gets the job, and finishes the second sub-account.
import { check, freeBalance, log, runMain, submit, waitFor } from '../lib/chain.js';
import { Node, tmpDir } from '../lib/nodes.js';
import { Miner } from '../lib/miner.js';
import { event, inBlock } from '../lib/market.js';
import { parties, registerMiners, task, watchEvents } from '../lib/hashpower.js';

runMain('hashpower', async () => {
  const dir = tmpDir('hashpower');
  const node = new Node({ name: 'alice', index: 9, chain: 'dev', dir, extraArgs: ['--force-authoring'] }).start();
  const miners = [
    new Miner({ name: 'miner-primary', port: 18181, token: `primary-${Date.now()}`, dir }),
    new Miner({ name: 'miner-standby', port: 18182, token: `standby-${Date.now()}`, dir }),
  ];
  let api;
  let watch;
  try {
    api = await node.api();
    for (const m of miners) await m.start();
    const { provider, buyer, scheduler, unit } = await parties(api, 'Hash');
    // Declared 2 MH/s: a window of 10 blocks (60 s) must see at least 60 M hashes.
    const declared = 2_000_000;
    const [first] = await registerMiners(api, provider, scheduler,
      [{ miner: miners[0], declared, standbyFor: null }, { miner: miners[1], declared, standbyFor: 0 }]);
    check((await api.query.hashpower.miners(first + 1)).unwrap().state.toString() === 'Standby', 'the standby waits');

    // Two sub-accounts; shares of difficulty 1/256 (2^24 hashes, about 2 s of one core).
    const difficulty = 256;
    const perShare = 1n << 24n;
    const price = unit; // per 2^32 hashes
    watch = await watchEvents(api);
    const subs = [];
    for (const [k, shares] of [[0, 6n], [1, 24n]]) {
      const res = await submit(api, api.tx.hashpower.createSubAccount(shares * perShare, price, { Task: task(difficulty, 10 + k, 2) }, `stratum+tcp://pool.example:3333`, `buyer.rig${k}`), buyer, inBlock);
      check(res.dispatchError === null, `the buyer opened sub-account ${k}: ${shares} shares of work (${res.dispatchError})`);
      const created = event(res, 'hashpower', 'SubAccountCreated')[0];
      subs.push({ id: created.data.subAccount.toNumber(), job: created.data.job.toNumber(), escrow: created.data.escrow.toBigInt(), shares });
    }
    check(subs[0].escrow === (6n * perShare * price + (1n << 32n) - 1n) / (1n << 32n), `sub-account ${subs[0].id} escrows price × work to the unit: ${subs[0].escrow}`);
    const providerStart = await freeBalance(api, provider.address);

    // The off-chain worker dispatches sub-account 0 to the primary.
    await waitFor(async () => (await miners[0].status()).job_id === subs[0].job, 60_000, 'the primary to get the first job');
    log(`the primary works job ${subs[0].job}`);
    await waitFor(() => watch.seen.find((e) => e.method === 'UpToStandard' && e.data.subAccount.toNumber() === subs[0].id), 240_000, `sub-account ${subs[0].id} up to standard`);
    const checked0 = watch.seen.filter((e) => e.method === 'SharesChecked' && e.data.subAccount.toNumber() === subs[0].id);
    const accepted0 = checked0.reduce((s, e) => s + e.data.accepted.toNumber(), 0);
    check(accepted0 === 6, `the chain verified and accepted 6 shares of the primary for sub-account ${subs[0].id} (in ${checked0.length} submissions)`);
    check(checked0.every((e) => e.data.miner.toNumber() === first), 'all from the primary');
    const s0 = (await api.query.hashpower.subAccounts(subs[0].id)).unwrap();
    check(s0.state.toString() === 'Done' && s0.work.toBigInt() === 6n * perShare, `sub-account ${subs[0].id} is done: ${s0.work} hashes credited`);
    const switched = watch.seen.find((e) => e.method === 'Switched' && e.data.from.toNumber() === subs[0].id);
    check(switched && switched.data.to.unwrap().toNumber() === subs[1].id, `the scheduler switched to sub-account ${subs[1].id}`);
    await waitFor(async () => (await miners[0].status()).job_id === subs[1].job, 60_000, 'the primary to get the second job');
    log(`the primary now works job ${subs[1].job} (clean jobs)`);
    const paid0 = checked0.reduce((s, e) => s + e.data.paid.toBigInt(), 0n);
    check(paid0 === s0.paid.toBigInt() && paid0 === s0.escrow.toBigInt(), `the provider was paid ${paid0} for sub-account ${subs[0].id}, all of its escrow`);

    // Shares for the second sub-account flow; then the primary dies.
    await waitFor(() => watch.seen.find((e) => e.method === 'SharesChecked' && e.data.subAccount.toNumber() === subs[1].id && e.data.accepted.toNumber() > 0), 120_000, 'a share for the second sub-account');
    await miners[0].kill();
    log('killed the primary miner');
    const failed = await waitFor(() => watch.seen.find((e) => e.method === 'MinerFailedOver'), 240_000, 'the failover');
    check(failed.data.failed.toNumber() === first && failed.data.standby.unwrap().toNumber() === first + 1,
      `miner #${first} failed over to its standby #${first + 1} (delivered ${failed.data.delivered} of ${failed.data.expected} expected hashes)`);
    await waitFor(async () => (await miners[1].status()).job_id === subs[1].job, 60_000, 'the standby to get the job');
    log(`the standby works job ${subs[1].job}`);
    await waitFor(() => watch.seen.find((e) => e.method === 'UpToStandard' && e.data.subAccount.toNumber() === subs[1].id), 300_000, `sub-account ${subs[1].id} up to standard`);
    const checked1 = watch.seen.filter((e) => e.method === 'SharesChecked' && e.data.subAccount.toNumber() === subs[1].id);
    const byMiner = (m) => checked1.filter((e) => e.data.miner.toNumber() === m).reduce((s, e) => s + e.data.accepted.toNumber(), 0);
    check(byMiner(first) > 0 && byMiner(first + 1) > 0 && byMiner(first) + byMiner(first + 1) === 24,
      `sub-account ${subs[1].id}'s 24 shares came from both: ${byMiner(first)} from the primary, ${byMiner(first + 1)} from the standby`);
    const last = watch.seen.find((e) => e.method === 'Switched' && e.data.from.toNumber() === subs[1].id);
    check(last && last.data.to.isNone, 'every sub-account is served: the scheduler is idle');

    // Money: the escrow went to the provider (less commission) to the unit.
    const s1 = (await api.query.hashpower.subAccounts(subs[1].id)).unwrap();
    const paid = s0.paid.toBigInt() + s1.paid.toBigInt();
    check(s1.paid.toBigInt() === s1.escrow.toBigInt(), `sub-account ${subs[1].id} paid ${s1.paid} of its escrow`);
    const holds = await api.query.balances.holds(buyer.address);
    check(holds.every((h) => !JSON.stringify(h.id.toJSON()).includes('Hashpower')), 'no hashpower escrow remains held');
    const got = await freeBalance(api, provider.address) - providerStart;
    const rates = await api.query.commission.rates();
    const ppm = [rates.platformPpm, rates.providerHubPpm, rates.buyerHubPpm, rates.rewardPoolPpm].reduce((s, r) => s + r.toBigInt(), 0n);
    check(got > 0n && got <= paid && got >= paid - (paid * ppm) / 1_000_000n - 64n,
      `the provider received ${got} of ${paid} paid (commission at ${Number(ppm) / 1e4} %)`);
    log(`hashpower: ${accepted0 + byMiner(first) + byMiner(first + 1)} shares verified on chain, ${paid} paid`);
  } catch (e) {
    console.error(node.tailLog(40));
    for (const m of miners) console.error(`--- ${m.name}\n${m.tailLog(10)}`);
    throw e;
  } finally {
    if (watch) watch.stop();
    if (api) await api.disconnect();
    for (const m of miners) await m.kill();
    await node.stop();
  }
});
