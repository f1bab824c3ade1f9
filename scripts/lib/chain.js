// Shared helpers for the polkadot-js clients: connect, sign and follow a transaction to
// finality, decode dispatch errors, and check conditions with clear failure messages.
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

export function log(...args) {
  console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
}

export class CheckFailed extends Error {}

/** Throw unless `cond`, with a message that says what was expected. */
export function check(cond, message) {
  if (!cond) throw new CheckFailed(message);
  log(`ok: ${message}`);
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Connect to a node, retrying until `timeoutMs` (nodes take a few seconds to open RPC). */
export async function connect(url, timeoutMs = 60_000) {
  await cryptoWaitReady();
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    const provider = new WsProvider(url, false);
    try {
      await provider.connect();
      await waitFor(() => provider.isConnected, 5_000, 'websocket open');
      const api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
      return api;
    } catch (e) {
      lastErr = e;
      try { await provider.disconnect(); } catch { /* already closed */ }
      await sleep(1_000);
    }
  }
  throw new Error(`cannot connect to ${url}: ${lastErr?.message ?? lastErr}`);
}

/** Poll `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(fn, timeoutMs, what, intervalMs = 500) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new CheckFailed(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export async function devKeyring() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const names = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
  const accounts = {};
  for (const n of names) accounts[n.toLowerCase()] = keyring.addFromUri(`//${n}`, { name: n });
  return { keyring, ...accounts };
}

/** Human-readable form of a DispatchError: `pallet.Error` for module errors. */
export function describeDispatchError(api, err) {
  if (err.isModule) {
    const meta = api.registry.findMetaError(err.asModule);
    return `${meta.section}.${meta.name}`;
  }
  return err.type === 'Other' ? err.toString() : err.type;
}

/**
 * Sign and submit `tx`, follow it until its block is finalised, and return
 * { blockHash, events, dispatchError, fee }. Pool rejections throw with the node's message.
 */
export function submit(api, tx, signer, { finalized = true } = {}) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    let inBlock = null;
    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInBlock && !inBlock) inBlock = status.asInBlock.toHex();
      if (status.isDropped || status.isInvalid || status.isUsurped) {
        unsub();
        reject(new Error(`transaction ${status.type}`));
        return;
      }
      const done = finalized ? status.isFinalized : status.isInBlock;
      if (!done) return;
      unsub();
      const blockHash = finalized ? status.asFinalized.toHex() : status.asInBlock.toHex();
      let fee = 0n;
      for (const { event } of events) {
        if (event.section === 'transactionPayment' && event.method === 'TransactionFeePaid') {
          fee = event.data[1].toBigInt() + event.data[2].toBigInt();
        }
      }
      resolve({
        blockHash,
        inBlock,
        events,
        fee,
        dispatchError: dispatchError ? describeDispatchError(api, dispatchError) : null,
      });
    }).then((u) => { unsub = u; }).catch(reject);
  });
}

/** Free balance of `address` at `blockHash` (or the best block). */
export async function freeBalance(api, address, blockHash) {
  const at = blockHash ? await api.at(blockHash) : api;
  const { data } = await at.query.system.account(address);
  return data.free.toBigInt();
}

/** Run `main` and exit non-zero with a clear message on any failure. */
export function runMain(name, main) {
  main()
    .then(() => { log(`${name}: PASS`); process.exit(0); })
    .catch((e) => {
      console.error(`[${name}] FAIL: ${e instanceof CheckFailed ? e.message : (e?.stack ?? e)}`);
      process.exit(1);
    });
}

/**
 * Pass `call` through the council: `proposer` proposes it with a threshold of two, the
 * proposer and `voter` vote aye, and the motion is closed. Returns the close result (events include `Executed`).
 */
export async function councilMotion(api, call, proposer, voter) {
  const len = call.method.encodedLength;
  const proposed = await submit(api, api.tx.council.propose(2, call, len), proposer, { finalized: false });
  if (proposed.dispatchError) throw new CheckFailed(`council.propose failed: ${proposed.dispatchError}`);
  const ev = proposed.events.find(({ event }) => event.section === 'council' && event.method === 'Proposed');
  if (!ev) throw new CheckFailed('council.propose emitted no Proposed event');
  const index = ev.event.data[1].toNumber();
  const hash = ev.event.data[2].toHex();
  // Proposing is not voting: both council members vote aye (two of three meets the threshold).
  for (const member of [proposer, voter]) {
    const vote = await submit(api, api.tx.council.vote(hash, index, true), member, { finalized: false });
    if (vote.dispatchError) throw new CheckFailed(`council.vote failed: ${vote.dispatchError}`);
  }
  const close = await submit(api,
    api.tx.council.close(hash, index, { refTime: 10n ** 12n, proofSize: 10n ** 6n }, len), voter, { finalized: false });
  if (close.dispatchError) throw new CheckFailed(`council.close failed: ${close.dispatchError}`);
  const executed = close.events.find(({ event }) => event.section === 'council' && event.method === 'Executed');
  if (!executed) throw new CheckFailed('the council motion was not executed');
  const result = executed.event.data[1];
  close.motionError = result.isErr ? describeDispatchError(api, result.asErr) : null;
  return close;
}
