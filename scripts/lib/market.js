// Helpers the market clients share: events of a result, holds by reason, region codes, and
// joining the consortium (register, then the council approves).
import { u8aToHex } from '@polkadot/util';
import { check, councilMotion, submit } from './chain.js';

/** Submit options for scenarios that need inclusion, not finality. */
export const inBlock = { finalized: false };

/** A region code (up to 8 ASCII bytes, zero padded) as hex. */
export const region = (s) => { const r = new Uint8Array(8); r.set(new TextEncoder().encode(s)); return u8aToHex(r); };

/** The events `section.method` of a submit result. */
export const event = (res, section, method) => res.events.filter(({ event: e }) => e.section === section && e.method === method).map(({ event: e }) => e);

/** What `who` has on hold for holds whose reason mentions `reason` (e.g. 'Escrow', 'Bid'). */
export async function held(api, who, reason) {
  const holds = await api.query.balances.holds(who);
  return holds.filter((h) => JSON.stringify(h.id.toJSON()).includes(reason)).reduce((s, h) => s + h.amount.toBigInt(), 0n);
}

/** `who` registers with `role` under `hub`; the council (alice proposes, bob votes) approves. */
export async function join(api, who, role, name, hub, alice, bob) {
  const r = await submit(api, api.tx.identity.register(role, name, u8aToHex(new Uint8Array(32).fill(3)), hub), who, inBlock);
  check(r.dispatchError === null, `${name} registered as ${role}`);
  const m = await councilMotion(api, api.tx.identity.approve(who.address), alice, bob);
  check(m.motionError === null, `the council approved ${name}`);
}
