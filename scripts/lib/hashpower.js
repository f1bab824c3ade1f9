// Helpers the hashing-power tests share: a Stratum-shaped task, the hashpower events of every
// new block, and the set-up of a provider, a buyer, the node's scheduler key and miner servers.
import { u8aToHex, stringToHex } from '@polkadot/util';
import { check, devKeyring, submit } from './chain.js';
import { inBlock, join } from './market.js';

/** A Stratum-shaped task: difficulty in 1/65536 units, `branch` merkle hashes. */
export function task(difficulty, seed, branch = 1) {
  return {
    prevHash: u8aToHex(new Uint8Array(32).fill(seed)),
    coinbase1: u8aToHex(new Uint8Array(42).fill(1)),
    coinbase2: u8aToHex(new Uint8Array(40).fill(2)),
    merkleBranch: [...Array(branch).keys()].map((i) => u8aToHex(new Uint8Array(32).fill(3 + i))),
    version: 0x20000000,
    nbits: 0x1d00ffff,
    ntime: 1_700_000_000,
    difficulty,
    extranonce2Size: 4,
  };
}

/** Collect hashpower events from every new block into `seen`, until `stop()`. */
export async function watchEvents(api) {
  const seen = [];
  const stop = await api.rpc.chain.subscribeNewHeads(async (header) => {
    const events = await (await api.at(header.hash)).query.system.events();
    for (const { event: e } of events) {
      if (e.section === 'hashpower') seen.push({ block: header.number.toNumber(), method: e.method, data: e.data });
    }
  });
  return { seen, stop };
}

/**
 * A provider and a buyer (funded, registered, approved by the council) and a scheduler key of
 * type `hash` in the node's keystore; `label` tells this test's accounts apart.
 */
export async function parties(api, label) {
  const { alice, bob, keyring } = await devKeyring();
  const tag = `${label}-${Date.now()}`;
  const provider = keyring.addFromUri(`//Provider-${tag}`);
  const buyer = keyring.addFromUri(`//Buyer-${tag}`);
  const scheduler = keyring.addFromUri(`//Scheduler-${tag}`);
  const unit = 10n ** BigInt(api.registry.chainDecimals[0]);
  for (const who of [provider, buyer]) {
    const f = await submit(api, api.tx.balances.transferKeepAlive(who.address, 1000n * unit), alice, inBlock);
    check(f.dispatchError === null, `funded ${who.address.slice(0, 8)}…`);
  }
  await join(api, provider, 'Provider', `${label} provider`, alice.address, alice, bob);
  await join(api, buyer, 'Buyer', `${label} buyer`, alice.address, alice, bob);
  await api.rpc.author.insertKey('hash', `//Scheduler-${tag}`, u8aToHex(scheduler.publicKey));
  check((await api.rpc.author.hasKey(u8aToHex(scheduler.publicKey), 'hash')).isTrue, 'the scheduler key is in the node\'s keystore');
  return { alice, bob, provider, buyer, scheduler, unit };
}

/**
 * The provider registers `miners` (each { miner, declared, standbyFor: index of its primary in
 * `miners`, or null }), their bearer tokens first put into the node's off-chain storage.
 * Returns their ids.
 */
export async function registerMiners(api, provider, scheduler, miners) {
  const first = (await api.query.hashpower.nextMinerId()).toNumber();
  const ids = miners.map((_, i) => first + i);
  for (const [i, { miner }] of miners.entries()) {
    await api.rpc.offchain.localStorageSet('PERSISTENT', stringToHex(`computility::miner-token::${ids[i]}`), stringToHex(miner.token));
  }
  for (const [i, { miner, declared, standbyFor }] of miners.entries()) {
    const primary = standbyFor === null || standbyFor === undefined ? null : ids[standbyFor];
    const r = await submit(api, api.tx.hashpower.registerMiner(miner.url, declared, scheduler.address, primary), provider, inBlock);
    check(r.dispatchError === null, `the provider registered miner server #${ids[i]}${primary === null ? '' : `, standby of #${primary}`} (${r.dispatchError})`);
  }
  return ids;
}
