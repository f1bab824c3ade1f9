#!/usr/bin/env node
// polkadot-js client: only consortium members transact. An outsider's transfer is turned away
// by the transaction pool with the documented code, and its balance does not move; it may
// register; once the council approves it, it transacts; once suspended, it is turned away again.
//
//   node scripts/permission.js [--url ws://127.0.0.1:9944]
//
// Codes (InvalidTransaction::Custom): 1 not registered, 2 pending approval, 3 suspended,
// 4 revoked.
import { check, connect, councilMotion, devKeyring, freeBalance, log, runMain, submit } from './lib/chain.js';

const CODES = { 1: 'not registered', 2: 'pending approval', 3: 'suspended', 4: 'revoked' };

/** Submit and expect the pool to refuse with `code`; returns the node's message. */
async function expectRefused(api, tx, signer, code) {
  try {
    await submit(api, tx, signer, { finalized: false });
  } catch (e) {
    const msg = String(e?.message ?? e);
    check(msg.includes(`Custom error: ${code}`), `refused by the pool with code ${code} (${CODES[code]}): "${msg}"`);
    return msg;
  }
  throw new Error(`expected the pool to refuse with code ${code}, but the transaction went through`);
}

export async function permissionScenario(api) {
  const { alice, bob, keyring } = await devKeyring();
  const outsider = keyring.addFromUri(`//Outsider-${Date.now()}`);
  const unit = 10n ** BigInt(api.registry.chainDecimals[0]);
  const inBlock = { finalized: false };

  const fund = await submit(api, api.tx.balances.transferKeepAlive(outsider.address, 100n * unit), alice, inBlock);
  check(fund.dispatchError === null, 'Alice (a member) funded the outsider');

  const pay = () => api.tx.balances.transferKeepAlive(bob.address, unit);
  const before = await freeBalance(api, outsider.address);
  await expectRefused(api, pay(), outsider, 1);
  check(await freeBalance(api, outsider.address) === before, 'the outsider\'s balance is unchanged');

  const reg = await submit(api, api.tx.identity.register('Buyer', 'Outsider Ltd', `0x${'22'.repeat(32)}`, alice.address), outsider, inBlock);
  check(reg.dispatchError === null, `registering is open to outsiders (${reg.dispatchError})`);
  await expectRefused(api, pay(), outsider, 2);

  const approve = await councilMotion(api, api.tx.identity.approve(outsider.address), alice, bob);
  check(approve.motionError === null, 'the council approved the outsider');
  const bobBefore = await freeBalance(api, bob.address);
  const ok = await submit(api, pay(), outsider, inBlock);
  check(ok.dispatchError === null, 'the approved member\'s transfer goes through');
  check(await freeBalance(api, bob.address, ok.inBlock) - bobBefore === unit, 'Bob received the transfer');

  const suspend = await councilMotion(api, api.tx.identity.suspend(outsider.address), alice, bob);
  check(suspend.motionError === null, 'the council suspended the member');
  const suspendedBalance = await freeBalance(api, outsider.address);
  await expectRefused(api, pay(), outsider, 3);
  check(await freeBalance(api, outsider.address) === suspendedBalance, 'the suspended member\'s balance is unchanged');

  const revoke = await councilMotion(api, api.tx.identity.revoke(outsider.address), alice, bob);
  check(revoke.motionError === null, 'the council revoked the member');
  await expectRefused(api, pay(), outsider, 4);
  const leave = await submit(api, api.tx.identity.deregister(), outsider, inBlock);
  check(leave.dispatchError === null, 'a revoked participant may still leave and recover its deposit');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runMain('permission', async () => {
    const args = process.argv.slice(2);
    if (args.includes('--help')) {
      console.log('usage: permission.js [--url ws://127.0.0.1:9944]');
      return;
    }
    const i = args.indexOf('--url');
    const api = await connect(i >= 0 ? args[i + 1] : 'ws://127.0.0.1:9944');
    try {
      await permissionScenario(api);
    } finally {
      await api.disconnect();
    }
  });
}
