#!/usr/bin/env node
// polkadot-js client: a seller and a buyer trade on a running node. Both join the consortium
// (register; the council approves), the seller registers a GPU resource and posts an ask, the
// buyer bids; the bid is matched on arrival into an agreement whose escrow is held from the
// buyer; the runtime API shows depth, recommendations, open orders and agreements; the buyer
// ends the lease early: the unserved escrow comes back at once, the served part awaits billing.
//
//   node scripts/trade.js [--url ws://127.0.0.1:9944]
import { u8aToHex } from '@polkadot/util';
import { check, connect, councilMotion, devKeyring, freeBalance, log, runMain, submit } from './lib/chain.js';
import { event, held, inBlock, join, region } from './lib/market.js';


export async function tradeScenario(api) {
  const { alice, bob, keyring } = await devKeyring();
  const tag = Date.now();
  const seller = keyring.addFromUri(`//Seller-${tag}`);
  const buyer = keyring.addFromUri(`//Buyer-${tag}`);
  const unit = 10n ** BigInt(api.registry.chainDecimals[0]);
  for (const who of [seller, buyer]) {
    const f = await submit(api, api.tx.balances.transferKeepAlive(who.address, 1000n * unit), alice, inBlock);
    check(f.dispatchError === null, `funded ${who.address.slice(0, 8)}…`);
  }
  await join(api, seller, 'Provider', 'GPU seller', alice.address, alice, bob);
  await join(api, buyer, 'Buyer', 'Model trainer', alice.address, alice, bob);

  const spec = { quantity: 8, performance: 312, region: region('CN-GD'), greenPercent: 80, securityLevel: 3 };
  const rr = await submit(api, api.tx.identity.registerResource('Gpu', 'NVIDIA H100', spec), seller, inBlock);
  const resource = event(rr, 'identity', 'ResourceRegistered')[0].data[0].toNumber();
  const price = 2n * unit; // per GPU-hour
  // The provider states the service levels it guarantees: 99.9 % availability, 10 ms, 500/s.
  const offered = { availabilityPermille: 999, maxLatencyMs: 10, minThroughput: 500 };
  const askRes = await submit(api, api.tx.order.placeAsk(resource, 8, price, 1, 48, 0b110, offered, 1000), seller, inBlock);
  check(askRes.dispatchError === null, `the seller posted an ask: 8 GPUs at 2 CPT per GPU-hour, 999 per mille, 10 ms (${askRes.dispatchError})`);
  const askId = event(askRes, 'order', 'AskPlaced')[0].data[0].toNumber();

  // Refused: levels out of range, and an ask for more than the resource has free (all 8 are offered).
  const badSla = await submit(api, api.tx.order.placeAsk(resource, 1, price, 1, 48, 0b110, { ...offered, availabilityPermille: 1001 }, 1000), seller, inBlock);
  check(badSla.dispatchError === 'order.InvalidServiceLevels', `availability above 1000 per mille is refused with order.InvalidServiceLevels (${badSla.dispatchError})`);
  const oversell = await submit(api, api.tx.order.placeAsk(resource, 1, price, 1, 48, 0b110, offered, 1000), seller, inBlock);
  check(oversell.dispatchError === 'order.CapacityTaken', `a ninth GPU offered on an 8-GPU resource is refused with order.CapacityTaken (${oversell.dispatchError})`);

  const depth = await api.call.orderApi.depth('Gpu', 10);
  check(depth.some((l) => l.unitPrice.toBigInt() === price && l.units.toNumber() >= 8), 'the book shows the ask at its price level');

  const terms = {
    kind: 'Gpu', quantity: 5, minPerformance: 300, region: region('CN-GD'), maxUnitPrice: 3n * unit,
    hours: 4, taskKind: 1, taskHash: u8aToHex(new Uint8Array(32).fill(9)),
    sla: { availabilityPermille: 995, maxLatencyMs: 20, minThroughput: 0 }, priority: 'PriceFirst',
  };
  const rec = await api.call.orderApi.recommend(terms, 5);
  check(rec.length > 0 && rec[0].ask.toNumber() === askId && rec[0].wouldFill.toNumber() === 5, 'recommend ranks the ask first and would fill 5 units');

  // Refused: a bid the buyer cannot afford changes nothing.
  const tooDear = await submit(api, api.tx.order.placeBid({ ...terms, maxUnitPrice: 1_000_000n * unit }, 100), buyer, inBlock);
  check(tooDear.dispatchError === 'order.InsufficientBalance', `an unaffordable bid is refused with order.InsufficientBalance (${tooDear.dispatchError})`);

  // A bid requiring more than the ask guarantees (100 % availability) is not matched: it rests.
  const strict = await submit(api, api.tx.order.placeBid({ ...terms, sla: { ...terms.sla, availabilityPermille: 1000 } }, 100), buyer, inBlock);
  check(strict.dispatchError === null && event(strict, 'order', 'Matched').length === 0,
    `a bid requiring 1000 per mille is not matched by an ask guaranteeing 999 (${strict.dispatchError})`);
  const strictId = event(strict, 'order', 'BidPlaced')[0].data[0].toNumber();
  const withdrawn = await submit(api, api.tx.order.cancelBid(strictId), buyer, inBlock);
  check(withdrawn.dispatchError === null, 'the buyer withdrew it; its hold was released');

  const buyerFree = await freeBalance(api, buyer.address);
  const bidRes = await submit(api, api.tx.order.placeBid(terms, 100), buyer, inBlock);
  check(bidRes.dispatchError === null, `the buyer bid for 5 GPUs x 4 h at up to 3 CPT (${bidRes.dispatchError})`);
  const matches = event(bidRes, 'order', 'Matched');
  check(matches.length === 1 && matches[0].data[3].toNumber() === 5, 'the bid was matched on arrival: 5 units');
  check(event(bidRes, 'order', 'BidFilled').length === 1, 'the bid was filled completely');
  const agreementId = matches[0].data[2].toNumber();
  const escrow = price * 5n * 4n;
  const created = event(bidRes, 'agreement', 'Created')[0];
  check(created.data[5].toBigInt() === escrow, `agreement #${agreementId} escrows 2 x 5 x 4 = ${escrow / unit} CPT`);
  check(await held(api, buyer.address, 'Escrow') === escrow, 'the escrow is held on the buyer\'s account');
  check(await held(api, buyer.address, 'Bid') === 0n, 'nothing is left held for the bid');
  check(buyerFree - await freeBalance(api, buyer.address) === escrow + bidRes.fee,
    'the buyer\'s free balance fell by exactly the escrow and the fee');

  const agreed = (await api.query.agreement.agreements(agreementId)).unwrap().sla;
  check(agreed.availabilityPermille.toNumber() === 999 && agreed.maxLatencyMs.toNumber() === 10 && agreed.minThroughput.toNumber() === 500,
    'the agreement records the levels the provider guaranteed (999 per mille, 10 ms, 500/s)');
  const ask = (await api.query.order.asks(askId)).unwrap();
  check(ask.available.toNumber() === 3, 'the matched capacity is frozen on the ask: 3 of 8 left');
  const open = await api.call.orderApi.openOrders(seller.address);
  check(open[0].length === 1, 'the seller has one open ask');
  const mine = await api.call.agreementApi.agreementsOf(buyer.address);
  check(mine.length === 1 && mine[0][1].state.toString() === 'Active', 'the buyer has one active agreement');

  // Early termination by the buyer: the unserved part of the escrow goes back at once; the
  // served part stays held until billing settles its periods (scripts/lease.js goes through that).
  const before = (await api.query.agreement.agreements(agreementId)).unwrap();
  const end = await submit(api, api.tx.agreement.terminate(agreementId), buyer, inBlock);
  check(end.dispatchError === null, `the buyer ended the lease early (${end.dispatchError})`);
  const a = (await api.query.agreement.agreements(agreementId)).unwrap();
  const refunded = event(end, 'agreement', 'BuyerRefunded').reduce((s, e) => s + e.data[1].toBigInt(), 0n);
  const planned = BigInt(a.hours.toNumber()) * api.consts.agreement.blocksPerHour.toBigInt();
  const served = BigInt(a.end.toNumber() - a.start.toNumber());
  const earned = (escrow * served) / planned;
  check(a.endedEarly.isSome && a.end.toNumber() > before.start.toNumber() && a.end.toNumber() < before.end.toNumber(),
    `the lease now ends at block ${a.end.toNumber()} (was ${before.end.toNumber()})`);
  check(refunded === escrow - earned, `the unserved escrow came back to the unit: ${refunded} = ${escrow} - ${earned} earned in ${served} blocks`);
  check(await held(api, buyer.address, 'Escrow') === earned, 'the served part stays held for billing');
  check(event(end, 'agreement', 'ProviderPaid').length === 0, 'nothing is paid to the seller before the served periods are billed');
  log(`agreement #${agreementId}: ${refunded} back to the buyer, ${earned} held for ${served} blocks served`);

  // Two-sided matching: a bid for CPU cores rests (no asks), then an arriving ask fills it.
  // (A region of this run's own, so that no ask left by an earlier run on the same chain fills it.)
  const runRegion = region(`R-${(tag % 1_000_000).toString(36).toUpperCase()}`);
  const cpuTerms = { ...terms, kind: 'Cpu', quantity: 4, minPerformance: 0, maxUnitPrice: unit, region: runRegion };
  const resting = await submit(api, api.tx.order.placeBid(cpuTerms, 100), buyer, inBlock);
  check(resting.dispatchError === null && event(resting, 'order', 'Matched').length === 0, 'a bid for 4 CPU cores rests in the book');
  const restingId = event(resting, 'order', 'BidPlaced')[0].data[0].toNumber();
  const cpuSpec = { quantity: 16, performance: 50, region: runRegion, greenPercent: 80, securityLevel: 3 };
  const cr = await submit(api, api.tx.identity.registerResource('Cpu', 'AMD EPYC 9654', cpuSpec), seller, inBlock);
  const cpu = event(cr, 'identity', 'ResourceRegistered')[0].data[0].toNumber();
  const cpuPrice = unit / 4n;
  const cpuAsk = await submit(api, api.tx.order.placeAsk(cpu, 16, cpuPrice, 1, 48, 0b110, offered, 1000), seller, inBlock);
  const filled = event(cpuAsk, 'order', 'Matched');
  check(cpuAsk.dispatchError === null && filled.length === 1 && filled[0].data[0].toNumber() === restingId && filled[0].data[3].toNumber() === 4,
    `the arriving CPU ask filled the resting bid #${restingId}: 4 cores (${cpuAsk.dispatchError})`);
  check(filled[0].data[4].toBigInt() === cpuPrice, 'at the ask\'s price (0.25 CPT), below the bid\'s highest (1 CPT)');
  check(event(cpuAsk, 'order', 'BidFilled').length === 1 && (await api.query.order.bids(restingId)).isNone, 'the bid left the book, filled');
  check(await held(api, buyer.address, 'Bid') === 0n, 'nothing is left held for bids');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runMain('trade', async () => {
    const args = process.argv.slice(2);
    if (args.includes('--help')) {
      console.log('usage: trade.js [--url ws://127.0.0.1:9944]');
      return;
    }
    const i = args.indexOf('--url');
    const api = await connect(i >= 0 ? args[i + 1] : 'ws://127.0.0.1:9944');
    try {
      await tradeScenario(api);
    } finally {
      await api.disconnect();
    }
  });
}
