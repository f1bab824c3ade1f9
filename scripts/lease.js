#!/usr/bin/env node
// polkadot-js client: a full metered lease, billed period by period. A provider, a buyer, a
// monitor and a reseller join the consortium (register; the council approves); the provider
// posts an ask, the buyer names its reseller and bids, the match creates an agreement with
// escrow; the buyer appoints the monitor. Each period the monitor reports its measurements
// with a commitment to an HMAC permit (CN113315635) that only the buyer, holding the shared
// key, can open; the buyer confirms with the permit and anyone settles: the bill pays the
// provider, refunds SLA penalties to the buyer and splits commission (platform, hubs,
// reseller, reward pool), to the unit. A forged permit is refused. The buyer ends the lease
// early; the unserved escrow comes back at once and the served periods are billed until the
// agreement closes. At the era's end the reward pool goes to the provider by contribution
// score; provider and reseller claim what they are owed. Every bill is printed.
//
//   node scripts/lease.js [--url ws://127.0.0.1:9944]
import { createHmac, randomBytes } from 'node:crypto';
import { bnToU8a, isCodec, stringToU8a, u8aConcat, u8aEq, u8aToHex, u8aToU8a } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { check, connect, councilMotion, devKeyring, freeBalance, log, runMain, submit, waitFor } from './lib/chain.js';
import { event, held, inBlock, join, region } from './lib/market.js';

const BLOCK_MS = 6_000;
// A task kind no other scenario's ask runs: the bid can only match this lease's ask.
const TASK_KIND = 5;
/** The service levels the provider guarantees and the buyer requires (the agreement records them). */
const SLA = { availabilityPermille: 990, maxLatencyMs: 50, minThroughput: 0 };
const short = (address) => `${address.slice(0, 8)}…`;

// ---- Permit protocol (CN113315635): HMAC one-time codes over the reported metrics ----------

export const PERMIT_DOMAIN = 'computility-permit';

const bytes = (x) => (isCodec(x) ? x.toU8a() : u8aToU8a(x));

/** The registry type of `bill.report`'s `metrics` argument (its third). */
export function metricsType(api) {
  return api.registry.createLookupType(api.tx.bill.report.meta.fields[2].type);
}

/**
 * blake2_256(SCALE(metrics) ++ digest): what a permit vouches for. `metrics` is a plain object
 * ({ availabilityPermille, latencyMs, throughput, usage }) or the decoded on-chain value;
 * `digest` 32 bytes (hex, Uint8Array or Codec).
 */
export function metricsHash(api, metrics, digest) {
  const encoded = isCodec(metrics) ? metrics.toU8a() : api.createType(metricsType(api), metrics).toU8a();
  return blake2AsU8a(u8aConcat(encoded, bytes(digest)), 256);
}

/** permit = HMAC-SHA256(key, utf8("computility-permit") ++ u64le(agreement) ++ u32le(period) ++ metricsHash). */
export function computePermit(key, agreement, period, mHash) {
  const message = u8aConcat(
    stringToU8a(PERMIT_DOMAIN),
    bnToU8a(BigInt(agreement.toString()), { bitLength: 64, isLe: true }),
    bnToU8a(BigInt(period.toString()), { bitLength: 32, isLe: true }),
    bytes(mHash),
  );
  return new Uint8Array(createHmac('sha256', Buffer.from(bytes(key))).update(message).digest());
}

/** The commitment the monitor publishes: blake2_256(permit). */
export function commitmentOf(permit) {
  return blake2AsU8a(bytes(permit), 256);
}

// ---- Chain time ----------------------------------------------------------------------------

const bestNumber = async (api) => (await api.rpc.chain.getHeader()).number.toNumber();
const blockNumberOf = async (api, hash) => (await api.rpc.chain.getHeader(hash)).number.toNumber();

/** Wait until the best block is at least `n`. */
async function waitBlock(api, n, what) {
  const now = await bestNumber(api);
  if (now >= n) return now;
  log(`waiting for block #${n} (${what}); now at #${now}`);
  return waitFor(async () => { const b = await bestNumber(api); return b >= n ? b : 0; },
    (n - now) * BLOCK_MS * 3 + 30_000, `block #${n} (${what})`, 1_000);
}

// ---- Money ---------------------------------------------------------------------------------

const PPM = 1_000_000n;
/** `amount × ppm / 10⁶` rounded down, as the runtime computes a commission line. */
const part = (amount, ppm) => amount / PPM * ppm + amount % PPM * ppm / PPM;
/** The provider's pro-rata share of `escrow` after `elapsed` of `total` blocks, rounded down. */
const proRata = (escrow, elapsed, total) => {
  const e = BigInt(Math.min(elapsed, total));
  const t = BigInt(total);
  return escrow / t * e + escrow % t * e / t;
};
/** Each period's share of the escrow (the last takes the rounding). */
function periodDues(escrow, total, period) {
  const out = [];
  let paid = 0n;
  for (let i = 1; i <= Math.ceil(total / period); i++) {
    const cum = proRata(escrow, Math.min(i * period, total), total);
    out.push(cum - paid);
    paid = cum;
  }
  return out;
}

function formatter(api) {
  const decimals = api.registry.chainDecimals[0];
  const unit = 10n ** BigInt(decimals);
  const symbol = api.registry.chainTokens[0];
  return (x) => {
    const frac = (x % unit).toString().padStart(decimals, '0').replace(/0+$/, '');
    return `${x / unit}${frac ? `.${frac}` : ''} ${symbol}`;
  };
}

// ---- Bills ---------------------------------------------------------------------------------

/** A decoded `bill.bills` entry as plain values. */
function readBill(b) {
  const opt = (o) => (o.isSome ? o.unwrap() : null);
  const share = (o) => { const v = opt(o); return v ? { who: v[0].toString(), amount: v[1].toBigInt() } : null; };
  const m = opt(b.metrics);
  return {
    agreement: b.agreement.toNumber(),
    period: b.period.toNumber(),
    provider: b.provider.toString(),
    buyer: b.buyer.toString(),
    due: b.due.toBigInt(),
    toProvider: b.toProvider.toBigInt(),
    toBuyer: b.toBuyer.toBigInt(),
    lines: {
      provider: b.lines.provider.toBigInt(),
      platform: b.lines.platform.toBigInt(),
      providerHub: share(b.lines.providerHub),
      buyerHub: share(b.lines.buyerHub),
      reseller: share(b.lines.reseller),
      rewardPool: b.lines.rewardPool.toBigInt(),
    },
    metrics: m && {
      availabilityPermille: m.availabilityPermille.toNumber(),
      latencyMs: m.latencyMs.toNumber(),
      throughput: m.throughput.toNumber(),
      usage: m.usage.toBigInt(),
    },
    digest: opt(b.digest)?.toHex() ?? null,
    breaches: b.breaches.toNumber(),
    basis: b.basis.toString(),
    settledAt: b.settledAt.toNumber(),
  };
}

const breachNames = (bits) => ['availability', 'latency', 'throughput'].filter((_, i) => bits & (1 << i)).join(', ') || 'none';

function printBill(fmt, id, b) {
  const line = (s) => (s ? `${fmt(s.amount)} to ${short(s.who)}` : '-');
  const m = b.metrics;
  log(`+-- bill #${id}: agreement #${b.agreement}, period ${b.period}, basis ${b.basis}, settled at block #${b.settledAt}`);
  log(`|   due                 ${fmt(b.due)}`);
  log(`|   to provider         ${fmt(b.toProvider)} (keeps ${fmt(b.lines.provider)})`);
  log(`|   to buyer (penalty)  ${fmt(b.toBuyer)}`);
  log(`|   commission          platform ${fmt(b.lines.platform)}`);
  log(`|                       provider hub ${line(b.lines.providerHub)}`);
  log(`|                       buyer hub ${line(b.lines.buyerHub)}`);
  log(`|                       reseller ${line(b.lines.reseller)}`);
  log(`|                       reward pool ${fmt(b.lines.rewardPool)}`);
  log(`|   metrics             ${m ? `availability ${m.availabilityPermille} permille, latency ${m.latencyMs} ms, throughput ${m.throughput}, usage ${m.usage} GPU-s` : 'none (not metered)'}`);
  log(`|   breaches            ${breachNames(b.breaches)}`);
  log(`+-- digest              ${b.digest ?? '-'}`);
}

// ---- The monitor and the buyer -------------------------------------------------------------

/**
 * The monitor's raw log of period `p`: a probe every 1.5 s, the first `down` unanswered; the
 * metrics are derived from it and the digest is blake2_256 of its JSON text.
 */
function measure(ctx, p, { down = 0, latencyMs = 12 } = {}) {
  const n = ctx.P * 4;
  const samples = Array.from({ length: n }, (_, i) => ({
    at: ctx.start + p * ctx.P + Math.floor(i / 4), // block
    up: i >= down,
    latencyMs: i >= down ? latencyMs - (i % 3) : null,
  }));
  const up = samples.filter((s) => s.up);
  const metrics = {
    availabilityPermille: Math.round((up.length * 1000) / n),
    latencyMs: Math.max(0, ...up.map((s) => s.latencyMs)),
    throughput: 0,
    usage: Math.floor(ctx.quantity * up.length * 1.5), // GPU-seconds delivered
  };
  const text = JSON.stringify({ agreement: ctx.id, period: p, monitor: ctx.monitor.address, intervalMs: 1500, samples });
  return { metrics, digest: blake2AsU8a(stringToU8a(text), 256) };
}

/** The monitor measures period `p` and reports it with the commitment to the permit. */
async function report(ctx, p, conditions) {
  const { api, id, monitor } = ctx;
  const { metrics, digest } = measure(ctx, p, conditions);
  const permit = computePermit(ctx.key, id, p, metricsHash(api, metrics, digest));
  const r = await submit(api, api.tx.bill.report(id, p, metrics, u8aToHex(digest), u8aToHex(commitmentOf(permit))), monitor, inBlock);
  check(r.dispatchError === null,
    `the monitor reported period ${p}: availability ${metrics.availabilityPermille} permille, latency ${metrics.latencyMs} ms (${r.dispatchError})`);
  const ev = event(r, 'bill', 'Reported')[0];
  check(ev && ev.data.period.toNumber() === p && u8aEq(ev.data.digest.toU8a(), digest), `bill.Reported names period ${p} and the log's digest`);
  return { metrics, digest };
}

/** The buyer opens the on-chain report with the shared key: the permit for what was reported. */
async function buyerPermit(ctx, p) {
  const { api, id } = ctx;
  const stored = await api.query.bill.reports(id, p);
  check(stored.isSome, `the report of period ${p} is on chain`);
  const r = stored.unwrap();
  check(r.monitor.toString() === ctx.monitor.address, `the report of period ${p} is the appointed monitor's`);
  const permit = computePermit(ctx.key, id, p, metricsHash(api, r.metrics, r.digest));
  check(u8aEq(commitmentOf(permit), r.commitment.toU8a()),
    `the buyer's permit for period ${p}, computed from the key and the report, opens the monitor's commitment`);
  return permit;
}

async function confirm(ctx, p) {
  const permit = await buyerPermit(ctx, p);
  const r = await submit(ctx.api, ctx.api.tx.bill.confirm(ctx.id, p, u8aToHex(permit)), ctx.buyer, inBlock);
  check(r.dispatchError === null && event(r, 'bill', 'Confirmed').length === 1, `the buyer confirmed period ${p} with the permit (${r.dispatchError})`);
}

/** Everything a settlement moves, read at `at` (a block hash) or the best block. */
async function snapshot(ctx, at) {
  const { api, alice, provider, buyer, reseller } = ctx;
  const q = at ? (await api.at(at)).query : api.query;
  const claimable = async (who) => (await q.commission.claimable(who)).toBigInt();
  return {
    provider: await freeBalance(api, provider.address, at),
    buyer: await freeBalance(api, buyer.address, at),
    hub: await claimable(alice.address),
    reseller: await claimable(reseller.address),
  };
}

/**
 * Alice (neither party, so no party pays a fee) settles period `p`; check the bill to the unit:
 * it adds up to the period's due, its commission lines follow the rates, and exactly those
 * amounts reached the provider, the buyer, the hub and the reseller. With `waitWindow`, a period
 * that cannot be settled yet is settled once the report window has passed.
 */
async function settle(ctx, p, { waitWindow = false } = {}) {
  const { api, id, alice, fmt } = ctx;
  let before = await snapshot(ctx);
  let r = await submit(api, api.tx.bill.settle(id, p), alice, inBlock);
  if (r.dispatchError !== null && waitWindow) {
    const until = ctx.periodEnd(p) + ctx.window + 1;
    log(`period ${p} cannot be settled yet (${r.dispatchError}): settling it once the report window has passed`);
    await waitBlock(api, until, `the report window of period ${p} has passed`);
    before = await snapshot(ctx);
    r = await submit(api, api.tx.bill.settle(id, p), alice, inBlock);
  }
  check(r.dispatchError === null, `period ${p} of agreement #${id} was settled (${r.dispatchError})`);
  const billed = event(r, 'bill', 'Billed')[0];
  check(billed && billed.data.agreement.toNumber() === id && billed.data.period.toNumber() === p, `bill.Billed for period ${p}`);
  const billId = billed.data.bill.toNumber();
  const stored = await api.query.bill.bills(billId);
  check(stored.isSome, `bill #${billId} is stored`);
  const b = readBill(stored.unwrap());
  const billOf = await api.query.bill.billOfPeriod(id, p);
  check(billOf.isSome && billOf.unwrap().toNumber() === billId, `bill.billOfPeriod(${id}, ${p}) points at bill #${billId}`);
  check(b.agreement === id && b.period === p && b.provider === ctx.provider.address && b.buyer === ctx.buyer.address,
    `bill #${billId} names agreement #${id}, period ${p}, its provider and its buyer`);
  check(billed.data.toProvider.toBigInt() === b.toProvider && billed.data.toBuyer.toBigInt() === b.toBuyer
    && billed.data.basis.toString() === b.basis, `bill.Billed agrees with the stored bill #${billId}`);
  check(b.toProvider + b.toBuyer === b.due,
    `bill #${billId}: ${fmt(b.toProvider)} to the provider + ${fmt(b.toBuyer)} to the buyer = ${fmt(b.due)} due`);

  // Commission lines, to the unit: each line is its rate of the pay rounded down, the provider keeps the rest.
  const pay = b.toProvider;
  const { rates } = ctx;
  const expect = {
    platform: part(pay, rates.platform),
    providerHub: part(pay, rates.providerHub),
    buyerHub: part(pay, rates.buyerHub),
    reseller: part(pay, rates.reseller),
    rewardPool: part(pay, rates.rewardPool),
  };
  const L = b.lines;
  check(L.providerHub?.who === alice.address && L.buyerHub?.who === alice.address && L.reseller?.who === ctx.reseller.address,
    'the hub lines go to Alice (both sides\' hub) and the reseller line to the named reseller');
  check(L.platform === expect.platform && L.providerHub.amount === expect.providerHub && L.buyerHub.amount === expect.buyerHub
    && L.reseller.amount === expect.reseller && L.rewardPool === expect.rewardPool, `bill #${billId}'s commission lines follow the rates to the unit`);
  const commission = L.platform + L.providerHub.amount + L.buyerHub.amount + L.reseller.amount + L.rewardPool;
  check(L.provider + commission === pay, `the lines add up to the provider's pay: ${fmt(L.provider)} kept + ${fmt(commission)} commission`);
  check(billed.data.commission.toBigInt() === commission, 'bill.Billed reports the commission taken');
  if (pay > 0n) {
    const charged = event(r, 'commission', 'Charged')[0];
    check(charged && charged.data.pay.toBigInt() === pay && charged.data.commission.toBigInt() === commission,
      'commission.Charged: the pay and the commission moved to the pot');
  }

  const after = await snapshot(ctx, r.blockHash);
  check(after.provider - before.provider === L.provider, `the provider's free balance rose by exactly its line, ${fmt(L.provider)}`);
  check(after.buyer - before.buyer === b.toBuyer, `the buyer's free balance rose by exactly the penalty refund, ${fmt(b.toBuyer)}`);
  check(after.hub - before.hub === L.providerHub.amount + L.buyerHub.amount, 'the hub\'s claimable rose by both hub lines');
  check(after.reseller - before.reseller === L.reseller.amount, `the reseller's claimable rose by its line, ${fmt(L.reseller.amount)}`);
  printBill(fmt, billId, b);
  const entry = { billId, bill: b, res: r };
  ctx.bills.push(entry);
  return entry;
}

// ---- The scenario --------------------------------------------------------------------------

export async function leaseScenario(api) {
  const { alice, bob, keyring } = await devKeyring();
  const tag = Date.now();
  const provider = keyring.addFromUri(`//Provider-${tag}`);
  const buyer = keyring.addFromUri(`//Buyer-${tag}`);
  const monitor = keyring.addFromUri(`//Monitor-${tag}`);
  const reseller = keyring.addFromUri(`//Reseller-${tag}`);
  const unit = 10n ** BigInt(api.registry.chainDecimals[0]);
  const fmt = formatter(api);

  const periodBlocks = (await api.query.bill.periodBlocks()).toNumber();
  const window = api.consts.bill.window.toNumber();
  const eraBlocks = (await api.query.commission.eraBlocks()).toNumber();
  const r = await api.query.commission.rates();
  const rates = {
    platform: BigInt(r.platformPpm.toNumber()),
    providerHub: BigInt(r.providerHubPpm.toNumber()),
    buyerHub: BigInt(r.buyerHubPpm.toNumber()),
    reseller: BigInt(r.resellerPpm.toNumber()),
    rewardPool: BigInt(r.rewardPoolPpm.toNumber()),
  };
  const pct = (ppm) => `${Number(ppm) / 10_000} %`;
  log(`billing: periods of ${periodBlocks} blocks, report window ${window} blocks; commission era ${eraBlocks} blocks; rates: `
    + `platform ${pct(rates.platform)}, provider hub ${pct(rates.providerHub)}, buyer hub ${pct(rates.buyerHub)}, `
    + `reseller ${pct(rates.reseller)}, reward pool ${pct(rates.rewardPool)}`);

  for (const who of [provider, buyer, monitor, reseller]) {
    const f = await submit(api, api.tx.balances.transferKeepAlive(who.address, 1000n * unit), alice, inBlock);
    check(f.dispatchError === null, `funded ${short(who.address)}`);
  }
  await join(api, provider, 'Provider', 'GPU provider', alice.address, alice, bob);
  await join(api, buyer, 'Buyer', 'Model trainer', alice.address, alice, bob);
  await join(api, monitor, 'Monitor', 'SLA monitor', alice.address, alice, bob);
  await join(api, reseller, 'Reseller', 'Compute reseller', alice.address, alice, bob);

  // The provider offers exactly 2 GPUs: the match fills the ask and removes it from the book.
  const quantity = 2;
  const spec = { quantity, performance: 989, region: region('CN-GD'), greenPercent: 90, securityLevel: 3 };
  const rr = await submit(api, api.tx.identity.registerResource('Gpu', 'NVIDIA H200', spec), provider, inBlock);
  check(rr.dispatchError === null, `the provider registered a GPU resource (${rr.dispatchError})`);
  const resource = event(rr, 'identity', 'ResourceRegistered')[0].data[0].toNumber();
  const price = 60n * unit; // per GPU-hour: 2 GPUs x 1 h = 120 units of escrow, 1 unit per 5-block period
  const askRes = await submit(api, api.tx.order.placeAsk(resource, quantity, price, 1, 48, 1 << TASK_KIND, SLA, 1000), provider, inBlock);
  check(askRes.dispatchError === null, `the provider posted an ask: ${quantity} GPUs at ${fmt(price)} per GPU-hour (${askRes.dispatchError})`);
  const askId = event(askRes, 'order', 'AskPlaced')[0].data[0].toNumber();

  const rs = await submit(api, api.tx.commission.setReseller(reseller.address), buyer, inBlock);
  check(rs.dispatchError === null && event(rs, 'commission', 'ResellerSet').length === 1, `the buyer named its reseller (${rs.dispatchError})`);

  const terms = {
    kind: 'Gpu', quantity, minPerformance: 900, region: region('CN-GD'), maxUnitPrice: price,
    hours: 1, taskKind: TASK_KIND, taskHash: u8aToHex(blake2AsU8a(stringToU8a(`fine-tune job ${tag}`), 256)),
    sla: SLA, priority: 'PriceFirst',
  };
  const bidRes = await submit(api, api.tx.order.placeBid(terms, 100), buyer, inBlock);
  check(bidRes.dispatchError === null, `the buyer bid for ${quantity} GPUs x 1 h, SLA 99.0 % / 50 ms (${bidRes.dispatchError})`);
  const matches = event(bidRes, 'order', 'Matched');
  check(matches.length === 1 && matches[0].data.ask.toNumber() === askId && matches[0].data.quantity.toNumber() === quantity,
    `the bid was matched on arrival against the provider's ask #${askId}`);
  const id = matches[0].data.agreement.toNumber();
  const escrow = price * BigInt(quantity);
  const created = event(bidRes, 'agreement', 'Created')[0];
  check(created.data.escrow.toBigInt() === escrow, `agreement #${id} escrows ${fmt(escrow)}`);
  check(await held(api, buyer.address, 'Escrow') === escrow, 'the escrow is held on the buyer\'s account');

  const a0 = (await api.query.agreement.agreements(id)).unwrap();
  const start = a0.start.toNumber();
  const P = a0.period.toNumber();
  const planned = a0.end.toNumber() - start;
  check(P === periodBlocks, `agreement #${id} is billed in periods of bill.periodBlocks = ${P} blocks`);
  check(planned === api.consts.agreement.blocksPerHour.toNumber(), `agreement #${id} runs one hour: ${planned} blocks`);
  const dues = periodDues(escrow, planned, P);
  log(`agreement #${id}: blocks #${start}..#${start + planned}, ${dues.length} periods, ${fmt(dues[0])} due each`);

  const ap = await submit(api, api.tx.bill.appointMonitor(id, monitor.address), buyer, inBlock);
  check(ap.dispatchError === null, `the buyer appointed the monitor (${ap.dispatchError})`);
  const appointed = event(ap, 'bill', 'MonitorAppointed')[0];
  check(appointed && appointed.data.agreement.toNumber() === id && appointed.data.monitor.toString() === monitor.address,
    'bill.MonitorAppointed names the agreement and the monitor');
  const p0 = appointed.data.fromPeriod.toNumber();
  check(p0 === Math.floor((await blockNumberOf(api, ap.blockHash) - start) / P), 'the monitor meters from the period running at its appointment');
  log(`the monitor meters agreement #${id} from period ${p0} (block #${start + p0 * P}); earlier periods are not metered`);

  // Buyer and monitor agree on the permit key off-chain; it never touches the chain.
  const key = new Uint8Array(randomBytes(32));
  const ctx = {
    api, id, key, alice, provider, buyer, monitor, reseller, fmt, rates, window, quantity, start, P,
    end: a0.end.toNumber(), bills: [],
  };
  ctx.periodEnd = (p) => Math.min(start + (p + 1) * P, ctx.end);

  // Period p0: the SLA is met; the buyer confirms and the bill pays the provider in full.
  await waitBlock(api, ctx.periodEnd(p0), `the end of period ${p0}`);
  await report(ctx, p0, { down: 0, latencyMs: 12 });
  await confirm(ctx, p0);
  const b0 = (await settle(ctx, p0)).bill;
  check(b0.basis === 'Confirmed' && b0.due === dues[p0], `period ${p0} was billed on the confirmed report for its due ${fmt(dues[p0])}`);
  check(b0.toBuyer === 0n && b0.breaches === 0, 'no promise was broken: no penalty');
  check(b0.metrics?.availabilityPermille === 1000 && b0.metrics?.latencyMs === 12, 'the bill records the reported metrics');

  // Period p0 + 1: availability falls short of the promise.
  const p1 = p0 + 1;
  await waitBlock(api, ctx.periodEnd(p1), `the end of period ${p1}`);
  const { metrics: m1, digest: d1 } = await report(ctx, p1, { down: Math.ceil(P * 4 * 0.05), latencyMs: 12 });
  check(m1.availabilityPermille < 990, `the monitor measured ${m1.availabilityPermille} permille, below the promised 990`);

  // Refused: a permit made without the shared key changes nothing.
  const forged = computePermit(randomBytes(32), id, p1, metricsHash(api, m1, d1));
  const buyerFree = await freeBalance(api, buyer.address);
  const bad = await submit(api, api.tx.bill.confirm(id, p1, u8aToHex(forged)), buyer, inBlock);
  check(bad.dispatchError === 'bill.PermitMismatch', `a permit made without the key is refused with bill.PermitMismatch (${bad.dispatchError})`);
  check(buyerFree - await freeBalance(api, buyer.address, bad.blockHash) === bad.fee, 'the refused confirmation cost the buyer only its fee');
  check((await api.query.bill.reports(id, p1)).unwrap().confirmed.isFalse, `the report of period ${p1} stays unconfirmed`);
  check((await api.query.bill.billOfPeriod(id, p1)).isNone, `no bill was issued for period ${p1}`);
  const early = await submit(api, api.tx.bill.settle(id, p1), alice, inBlock);
  check(early.dispatchError === 'bill.AwaitingConfirmation',
    `settling an unconfirmed period inside the window is refused with bill.AwaitingConfirmation (${early.dispatchError})`);

  await confirm(ctx, p1);
  const b1 = (await settle(ctx, p1)).bill;
  check(b1.basis === 'Confirmed' && b1.due === dues[p1], `period ${p1} was billed on the confirmed report for its due ${fmt(dues[p1])}`);
  check((b1.breaches & 1) === 1, 'the bill marks the availability breach (bit 0)');
  const scaled = b1.due / 1000n * BigInt(m1.availabilityPermille) + b1.due % 1000n * BigInt(m1.availabilityPermille) / 1000n;
  check(b1.toBuyer > 0n && b1.toProvider <= scaled,
    `the buyer got a penalty refund of ${fmt(b1.toBuyer)}; the provider at most ${m1.availabilityPermille} permille of the due`);

  // The buyer ends the lease early: the unserved escrow comes back at once.
  const freeBefore = await freeBalance(api, buyer.address);
  const term = await submit(api, api.tx.agreement.terminate(id), buyer, inBlock);
  check(term.dispatchError === null, `the buyer ended the lease early (${term.dispatchError})`);
  const termBlock = await blockNumberOf(api, term.blockHash);
  const refund = event(term, 'agreement', 'BuyerRefunded').filter((e) => e.data.id.toNumber() === id).reduce((s, e) => s + e.data.amount.toBigInt(), 0n);
  check(refund === escrow - proRata(escrow, termBlock - start, planned),
    `the unserved part was refunded at once, to the unit: ${fmt(refund)} for blocks #${termBlock}..#${start + planned}`);
  check(await freeBalance(api, buyer.address, term.blockHash) - freeBefore === refund - term.fee, 'the buyer\'s free balance rose by the refund less the fee');
  const a1 = (await (await api.at(term.blockHash)).query.agreement.agreements(id)).unwrap();
  check(a1.end.toNumber() === termBlock && a1.endedEarly.isSome && a1.endedEarly.unwrap().toString() === 'Buyer',
    `agreement #${id} now ends at block #${termBlock}, ended early by the buyer`);
  check(a1.state.toString() === 'Active', 'the served periods are still to be billed: the agreement stays active');
  ctx.end = termBlock;
  const periods = Math.ceil((termBlock - start) / P);
  log(`agreement #${id}: ${periods} served periods to bill (0..${periods - 1})`);

  // The remaining served periods: metered ones on the monitor's report, earlier ones unmetered.
  for (let p = p1 + 1; p < periods; p++) {
    await waitBlock(api, ctx.periodEnd(p), `the end of period ${p}`);
    await report(ctx, p, { down: 0, latencyMs: 12 });
    await confirm(ctx, p);
    const b = (await settle(ctx, p)).bill;
    check(b.basis === 'Confirmed' && b.toBuyer === 0n, `period ${p} was billed on the confirmed report, no penalty`);
  }
  for (let p = 0; p < p0; p++) {
    const b = (await settle(ctx, p, { waitWindow: true })).bill;
    check(b.basis !== 'Confirmed' && b.metrics === null, `period ${p}, before the monitor's appointment, was billed unmetered (${b.basis})`);
  }

  // The agreement is closed, and the escrow is accounted for to the unit.
  const last = ctx.bills[ctx.bills.length - 1];
  const settledEvents = ctx.bills.flatMap((x) => event(x.res, 'bill', 'AgreementSettled').filter((e) => e.data.agreement.toNumber() === id));
  check(settledEvents.length === 1 && event(last.res, 'bill', 'AgreementSettled').length === 1,
    'bill.AgreementSettled was emitted once, with the last period\'s bill');
  check(settledEvents[0].data.state.toString() === 'Terminated', 'bill.AgreementSettled reports the agreement Terminated');
  const rec = await api.query.agreement.agreements(id);
  check(rec.isSome && rec.unwrap().state.toString() === 'Terminated', `agreement #${id} is Terminated`);
  check(await held(api, buyer.address, 'Escrow') === 0n, 'no escrow remains held');
  check(ctx.bills.length === periods && new Set(ctx.bills.map((x) => x.bill.period)).size === periods, `one bill for each of the ${periods} served periods`);
  const toProvider = ctx.bills.reduce((s, x) => s + x.bill.toProvider, 0n);
  const toBuyer = ctx.bills.reduce((s, x) => s + x.bill.toBuyer, 0n);
  check(toProvider + toBuyer + refund === escrow,
    `escrow ${fmt(escrow)} = ${fmt(toProvider)} to the provider + ${fmt(toBuyer)} penalties + ${fmt(refund)} refunded at termination`);
  const a2 = rec.unwrap();
  check(a2.paid.toBigInt() === toProvider && a2.refunded.toBigInt() === toBuyer + refund, 'the agreement\'s paid and refunded match the bills');

  log(`bills of agreement #${id}:`);
  log('  bill | period | basis      | due          | to provider  | to buyer     | provider keeps | platform   | hubs       | reseller   | pool       | avail');
  for (const { billId, bill: b } of [...ctx.bills].sort((x, y) => x.bill.period - y.bill.period)) {
    const hubs = b.lines.providerHub.amount + b.lines.buyerHub.amount;
    const cols = [b.due, b.toProvider, b.toBuyer, b.lines.provider, b.lines.platform, hubs, b.lines.reseller.amount, b.lines.rewardPool];
    log(`  ${String(billId).padStart(4)} | ${String(b.period).padStart(6)} | ${b.basis.padEnd(10)} | ${cols.map((c) => fmt(c).padStart(12)).join(' | ')} | ${b.metrics ? b.metrics.availabilityPermille : '-'}`);
  }

  // The era closes: the reward pool goes to the providers paid in it, by contribution score.
  const atLast = await api.at(last.res.blockHash);
  const era = await atLast.query.commission.currentEra();
  const eraIndex = era.index.toNumber();
  const closeAt = era.start.toNumber() + (await atLast.query.commission.eraBlocks()).toNumber();
  const rewardBefore = (await atLast.query.commission.claimable(provider.address)).toBigInt();
  await waitBlock(api, closeAt, `the close of commission era ${eraIndex}`);
  const atClose = await api.at(await api.rpc.chain.getBlockHash(closeAt));
  const closeEvents = (await atClose.query.system.events()).map(({ event: e }) => e);
  const eraClosed = closeEvents.find((e) => e.section === 'commission' && e.method === 'EraClosed' && e.data.era.toNumber() === eraIndex);
  check(eraClosed, `commission era ${eraIndex} closed at block #${closeAt}`);
  check((await atClose.query.commission.currentEra()).index.toNumber() === eraIndex + 1, `era ${eraIndex + 1} began`);
  const rewarded = closeEvents.find((e) => e.section === 'commission' && e.method === 'Rewarded' && e.data.provider.toString() === provider.address);
  check(rewarded, 'the provider shared the era\'s reward pool');
  const score = rewarded.data.score.toBigInt();
  const reward = rewarded.data.amount.toBigInt();
  check(score > 0n && reward > 0n, `the provider's contribution score is ${Number(score) / 1e6} and its reward ${fmt(reward)}`);
  check((await atClose.query.commission.scores(provider.address)).toBigInt() === score, 'its score is kept as its matching priority');
  check((await atClose.query.commission.claimable(provider.address)).toBigInt() - rewardBefore === reward, 'the reward became claimable');

  // Provider and reseller claim what they are owed.
  for (const [who, name, owedExpected] of [
    [provider, 'provider', null],
    [reseller, 'reseller', ctx.bills.reduce((s, x) => s + x.bill.lines.reseller.amount, 0n)],
  ]) {
    const owed = (await api.query.commission.claimable(who.address)).toBigInt();
    if (owedExpected !== null) check(owed === owedExpected, `the ${name} is owed exactly its lines: ${fmt(owed)}`);
    const free = await freeBalance(api, who.address);
    const c = await submit(api, api.tx.commission.claim(), who, inBlock);
    check(c.dispatchError === null, `the ${name} claimed (${c.dispatchError})`);
    const claimed = event(c, 'commission', 'Claimed')[0];
    check(claimed && claimed.data.amount.toBigInt() === owed, `commission.Claimed paid the ${name} ${fmt(owed)}`);
    check(await freeBalance(api, who.address, c.blockHash) - free === owed - c.fee, `the ${name}'s free balance rose by the claim less the fee`);
    check((await api.query.commission.claimable(who.address)).toBigInt() === 0n, `nothing more is owed to the ${name}`);
  }
  log(`agreement #${id}: ${ctx.bills.length} bills, ${fmt(toProvider)} paid, ${fmt(toBuyer)} penalties, ${fmt(refund)} refunded; reward ${fmt(reward)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runMain('lease', async () => {
    const args = process.argv.slice(2);
    if (args.includes('--help')) {
      console.log('usage: lease.js [--url ws://127.0.0.1:9944]');
      return;
    }
    const i = args.indexOf('--url');
    const api = await connect(i >= 0 ? args[i + 1] : 'ws://127.0.0.1:9944');
    try {
      await leaseScenario(api);
    } finally {
      await api.disconnect();
    }
  });
}
