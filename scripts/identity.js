#!/usr/bin/env node
// polkadot-js client for the identity registry on a running node: registers a hub operator
// and a provider, has the council approve them (the governance origin), registers a GPU
// resource, and resolves every identifier code through the IdentityApi runtime API.
//
//   node scripts/identity.js [--url ws://127.0.0.1:9944]
//
// Uses the dev accounts: Alice (hub operator, council), Bob (council), Dave (provider).
import { u8aToHex, u8aToString } from '@polkadot/util';
import { check, connect, councilMotion, devKeyring, log, runMain, submit } from './lib/chain.js';

const codeText = (c) => u8aToString(c.toU8a ? c.toU8a(true) : c);

/** A region code as the chain stores it: 8 bytes, zero-padded, as hex. */
function region(s) {
  const r = new Uint8Array(8);
  r.set(new TextEncoder().encode(s));
  return u8aToHex(r);
}

const inBlock = { finalized: false };

/** Register `who` (if not yet) and have the council approve it; returns its code. */
async function registerAndApprove(api, who, role, name, hub, council) {
  const existing = (await api.query.identity.participants(who.address)).unwrapOr(null);
  if (!existing) {
    const reg = await submit(api, api.tx.identity.register(role, name, `0x${'11'.repeat(32)}`, hub), who, inBlock);
    check(reg.dispatchError === null, `${name} registered as ${role} (${reg.dispatchError})`);
  }
  const status = (await api.query.identity.participants(who.address)).unwrap().status.toString();
  if (status === 'Pending') {
    const res = await councilMotion(api, api.tx.identity.approve(who.address), council[0], council[1]);
    check(res.motionError === null, `the council approved ${name} (${res.motionError})`);
  }
  const p = (await api.query.identity.participants(who.address)).unwrap();
  check(p.status.toString() === 'Approved', `${name} is approved`);
  return codeText(p.code.unwrap());
}

export async function identityScenario(api) {
  const { alice, bob, dave } = await devKeyring();
  const hubCode = await registerAndApprove(api, alice, 'HubOperator', 'Shenzhen hub', null, [alice, bob]);
  log(`hub operator Alice has code ${hubCode}`);
  const provCode = await registerAndApprove(api, dave, 'Provider', 'Dave GPU farm', alice.address, [alice, bob]);
  log(`provider Dave has code ${provCode}`);

  // A resource for the panorama table.
  const spec = { quantity: 8, performance: 312, region: region('CN-GD'), greenPercent: 70, securityLevel: 3 };
  const reg = await submit(api, api.tx.identity.registerResource('Gpu', 'NVIDIA A100 80GB', spec), dave, inBlock);
  check(reg.dispatchError === null, `Dave registered a GPU resource (${reg.dispatchError})`);
  const ev = reg.events.find(({ event }) => event.section === 'identity' && event.method === 'ResourceRegistered');
  const resourceId = ev.event.data[0].toNumber();
  const resourceCode = codeText(ev.event.data[1]);
  log(`resource #${resourceId} has code ${resourceCode}`);

  // Bad input is refused with a specific error and changes nothing.
  const bad = await submit(api, api.tx.identity.registerResource('Gpu', 'X', { ...spec, quantity: 0 }), dave, inBlock);
  check(bad.dispatchError === 'identity.InvalidSpec', `a zero-quantity resource is refused with identity.InvalidSpec (${bad.dispatchError})`);

  // Resolve through the runtime API (state_call under the hood).
  const p = await api.call.identityApi.resolve(provCode);
  check(p.isSome && p.unwrap().isParticipant, `${provCode} resolves to a participant`);
  const info = p.unwrap().asParticipant;
  check(info.account.toString() === dave.address && info.role.toString() === 'Provider',
    `${provCode} is Dave, a provider (${info.account}, ${info.role})`);
  const r = await api.call.identityApi.resolve(resourceCode.toLowerCase());
  check(r.isSome && r.unwrap().isResource && r.unwrap().asResource.id.toNumber() === resourceId,
    `${resourceCode.toLowerCase()} (lower case) resolves to resource #${resourceId}`);
  const typo = resourceCode.slice(0, 6) + (resourceCode[6] === '9' ? '8' : '9') + resourceCode.slice(7);
  check((await api.call.identityApi.resolve(typo)).isNone, `the mistyped code ${typo} resolves to nothing`);

  const page = await api.call.identityApi.resources(
    { kind: 'Gpu', minPerformance: 300, minQuantity: 4, region: region('CN-GD') }, null, 10);
  check(page.items.some((i) => i.id.toNumber() === resourceId), 'the GPU is listed for kind Gpu, performance >= 300, region CN-GD');
  const none = await api.call.identityApi.resources(
    { kind: 'Gpu', minPerformance: 100000, minQuantity: 0, region: null }, null, 10);
  check(none.items.length === 0, 'nothing is listed above performance 100000');
  log(`resolved: ${JSON.stringify(info.toHuman())}`);
  return { hubCode, provCode, resourceCode };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runMain('identity', async () => {
    const args = process.argv.slice(2);
    if (args.includes('--help')) {
      console.log('usage: identity.js [--url ws://127.0.0.1:9944]');
      return;
    }
    const i = args.indexOf('--url');
    const api = await connect(i >= 0 ? args[i + 1] : 'ws://127.0.0.1:9944');
    try {
      await identityScenario(api);
    } finally {
      await api.disconnect();
    }
  });
}
