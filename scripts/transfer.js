#!/usr/bin/env node
// polkadot-js client: connect, read metadata, send a signed transfer from Alice, follow it to
// finality and check that both balances moved by exactly the amount and the fee.
//
//   node scripts/transfer.js [--url ws://127.0.0.1:9944] [--amount 1.5] [--to <ss58>]
//
// Exits non-zero on any failure.
import { connect, check, devKeyring, freeBalance, log, runMain, submit } from './lib/chain.js';

function parseArgs(argv) {
  const opts = { url: 'ws://127.0.0.1:9944', amount: '1.5', to: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log('usage: transfer.js [--url ws://127.0.0.1:9944] [--amount <units>] [--to <ss58 address>]');
      process.exit(0);
    } else if (a === '--url') opts.url = argv[++i];
    else if (a === '--amount') opts.amount = argv[++i];
    else if (a === '--to') opts.to = argv[++i];
    else throw new Error(`unknown argument ${a} (see --help)`);
  }
  if (!/^\d+(\.\d{1,12})?$/.test(opts.amount)) throw new Error(`--amount must be a decimal number, got ${opts.amount}`);
  return opts;
}

/** Turn a decimal amount of units into plancks, without floats. */
export function toPlanck(amount, decimals) {
  const [whole, frac = ''] = amount.split('.');
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt((frac + '0'.repeat(decimals)).slice(0, decimals) || '0');
}

/** Transfer and check balances; returns { fee, amount, blockHash }. */
export async function transferAndCheck(api, { amount = '1.5', to = null } = {}) {
  const { alice, keyring } = await devKeyring();
  const decimals = api.registry.chainDecimals[0];
  const symbol = api.registry.chainTokens[0];
  const dest = to ?? keyring.addFromUri(`//Transfer-${Date.now()}`).address;
  const value = toPlanck(amount, decimals);

  const [chain, version] = await Promise.all([api.rpc.system.chain(), api.rpc.state.getRuntimeVersion()]);
  const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
  log(`connected to ${chain}, runtime ${version.specName} v${version.specVersion}, metadata v${api.runtimeMetadata.version}`);
  log(`pallets: ${pallets.join(', ')}`);
  log(`transaction extensions: ${api.registry.signedExtensions.join(', ')}`);
  check(pallets.includes('Balances') && pallets.includes('ValidatorSet'), 'metadata lists Balances and ValidatorSet');

  const head = await api.rpc.chain.getFinalizedHead();
  const aliceBefore = await freeBalance(api, alice.address, head);
  const destBefore = await freeBalance(api, dest, head);
  log(`Alice has ${aliceBefore} plancks; ${dest} has ${destBefore}; sending ${amount} ${symbol} (${value} plancks)`);

  const tx = api.tx.balances.transferKeepAlive(dest, value);
  const info = await tx.paymentInfo(alice);
  log(`estimated fee ${info.partialFee.toBigInt()} plancks`);
  const res = await submit(api, tx, alice, { finalized: true });
  check(res.dispatchError === null, `transfer dispatched without error (got ${res.dispatchError})`);
  log(`included in ${res.inBlock}, finalised in ${res.blockHash}; fee paid ${res.fee}`);

  const header = await api.rpc.chain.getHeader(res.blockHash);
  const finalized = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
  check(finalized.number.toNumber() >= header.number.toNumber(),
    `block #${header.number} is finalised (finalised head #${finalized.number})`);

  const aliceAfter = await freeBalance(api, alice.address, res.blockHash);
  const destAfter = await freeBalance(api, dest, res.blockHash);
  check(res.fee > 0n, `a fee was charged (${res.fee})`);
  check(destAfter - destBefore === value, `recipient gained exactly ${value} (got ${destAfter - destBefore})`);
  check(aliceBefore - aliceAfter === value + res.fee,
    `Alice paid exactly amount + fee = ${value + res.fee} (got ${aliceBefore - aliceAfter})`);
  const transferEvent = res.events.find(({ event }) => event.section === 'balances' && event.method === 'Transfer');
  check(transferEvent && transferEvent.event.data[2].toBigInt() === value, 'a balances.Transfer event carries the amount');
  return { fee: res.fee, amount: value, blockHash: res.blockHash };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runMain('transfer', async () => {
    const opts = parseArgs(process.argv.slice(2));
    const api = await connect(opts.url);
    try {
      await transferAndCheck(api, opts);
    } finally {
      await api.disconnect();
    }
  });
}
