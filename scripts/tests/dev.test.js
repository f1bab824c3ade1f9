#!/usr/bin/env node
// Starts a `dev` node and runs the polkadot-js clients against it, one scenario after another:
// a signed transfer checked to the unit; the identity registry (register, approve by the
// council, resolve identifier codes, list resources); transaction permission (outsiders are
// turned away by the pool with the documented codes); a trade (ask, bid matched on arrival,
// agreement with escrow, early termination); a full metered lease with bills and commission.
//
//   node dev.test.js [--index N] [scenario,scenario,...]
//
// With a list, only those scenarios run (each stands alone: it registers its own parties), so
// that scripts/test.sh can run them side by side on separate nodes. `--index` picks the node's
// ports (lib/nodes.js: p2p 30400+N, RPC 9950+N, Prometheus 9700+N); default 6.
import { log, runMain, waitFor } from '../lib/chain.js';
import { Node, tmpDir } from '../lib/nodes.js';
import { transferAndCheck } from '../transfer.js';
import { identityScenario } from '../identity.js';
import { permissionScenario } from '../permission.js';
import { tradeScenario } from '../trade.js';
import { leaseScenario } from '../lease.js';

const SCENARIOS = {
  transfer: async (api) => {
    const r = await transferAndCheck(api, { amount: '1.5' });
    log(`transfer fee ${r.fee}`);
  },
  identity: identityScenario,
  permission: permissionScenario,
  trade: tradeScenario,
  lease: leaseScenario,
};

function parseArgs(argv) {
  let index = 6;
  let names = Object.keys(SCENARIOS);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--index') {
      index = Number(argv[++i]);
      if (!Number.isInteger(index) || index < 0 || index > 99) throw new Error(`--index takes 0..99, not ${argv[i]}`);
    } else {
      names = argv[i].split(',').filter(Boolean);
      const unknown = names.filter((n) => !(n in SCENARIOS));
      if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
    }
  }
  return { index, names };
}

runMain('dev-chain', async () => {
  const { index, names } = parseArgs(process.argv.slice(2));
  const dir = tmpDir(`dev-${names.join('-')}`);
  const node = new Node({ name: 'alice', index, chain: 'dev', dir, extraArgs: ['--force-authoring'] }).start();
  let api;
  try {
    api = await node.api();
    await waitFor(async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 1, 60_000, 'block 1');
    for (const name of names) {
      const t0 = Date.now();
      log(`---- scenario: ${name}`);
      await SCENARIOS[name](api);
      log(`---- scenario ${name}: done in ${Math.round((Date.now() - t0) / 1000)} s (best block #${(await api.rpc.chain.getHeader()).number})`);
    }
  } catch (e) {
    console.error(node.tailLog(30));
    throw e;
  } finally {
    if (api) await api.disconnect();
    await node.stop();
  }
});
