#!/usr/bin/env node
// Starts a `dev` node and runs the polkadot-js clients against it, one scenario after another:
// a signed transfer checked to the unit; the identity registry (register, approve by the
// council, resolve identifier codes, list resources); transaction permission (outsiders are
// turned away by the pool with the documented codes); a trade (ask, bid matched on arrival,
// agreement with escrow, early termination); a full metered lease with bills and commission.
import { log, runMain, waitFor } from '../lib/chain.js';
import { Node, tmpDir } from '../lib/nodes.js';
import { transferAndCheck } from '../transfer.js';
import { identityScenario } from '../identity.js';
import { permissionScenario } from '../permission.js';
import { tradeScenario } from '../trade.js';
import { leaseScenario } from '../lease.js';

const only = process.argv[2];

runMain('dev-chain', async () => {
  const dir = tmpDir('dev');
  const node = new Node({ name: 'alice', index: 0, chain: 'dev', dir, extraArgs: ['--force-authoring'] }).start();
  let api;
  try {
    api = await node.api();
    await waitFor(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 1, 60_000, 'block 1');
    if (!only || only === 'transfer') {
      log('---- scenario: transfer');
      const r = await transferAndCheck(api, { amount: '1.5' });
      log(`transfer fee ${r.fee}`);
    }
    if (!only || only === 'identity') {
      log('---- scenario: identity');
      await identityScenario(api);
    }
    if (!only || only === 'permission') {
      log('---- scenario: permission');
      await permissionScenario(api);
    }
    if (!only || only === 'trade') {
      log('---- scenario: trade');
      await tradeScenario(api);
    }
    if (!only || only === 'lease') {
      log('---- scenario: lease');
      await leaseScenario(api);
    }
  } catch (e) {
    console.error(node.tailLog(30));
    throw e;
  } finally {
    if (api) await api.disconnect();
    await node.stop();
  }
});
