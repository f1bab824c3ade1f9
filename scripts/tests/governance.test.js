#!/usr/bin/env node
// Governance end to end on a `local` network: four genesis validators (alice, bob, charlie,
// dave) and a fifth node (eve) that holds keys but is neither a member nor a listed node.
//
//  0. Eve joins the consortium: she registers an identity (the only call an outsider may
//     make), and the council approves it and adds her node to the authorised node list.
//  1. Eve generates session keys on her node (author_rotateKeysWithOwner) and registers them.
//  2. A member outside the council is refused: validatorSet.addValidator -> BadOrigin,
//     council.propose -> council.NotMember. Nothing changes.
//  3. The council (2 of 3) votes to add Eve; the motion executes; ValidatorAdded is emitted.
//  4. After the session change Eve is in session.validators and in the Aura and GRANDPA
//     authority sets, authors blocks, and finality keeps advancing.
import { u8aToHex } from '@polkadot/util';
import { check, councilMotion, devKeyring, log, runMain, submit, waitFor } from '../lib/chain.js';
import { startNetwork, stopAll, tmpDir } from '../lib/nodes.js';

const SESSION_TIMEOUT = 5 * 60_000;
// Eve's node runs with node key 5 (lib/nodes.js): peer 12D3KooWSuTq6MG9gPt7qZqLFKkYrfxMewTZhj9nmRHJkPwzWDG2.
const EVE_PEER_ID = '0x002408011220fde4fba030ad002f7c2f7d4c331f49d13fb0ec747eceebec634f1ff4cbca9def';

async function authorOf(api, hash) {
  const header = await api.rpc.chain.getHeader(hash);
  const pre = header.digest.logs.find((l) => l.isPreRuntime && l.asPreRuntime[0].toString() === 'aura');
  if (!pre) return null;
  const slot = api.createType('u64', pre.asPreRuntime[1]).toBigInt();
  const parentApi = await api.at(header.parentHash);
  const authorities = await parentApi.query.aura.authorities();
  return { number: header.number.toNumber(), key: authorities[Number(slot % BigInt(authorities.length))].toHex() };
}

runMain('governance', async () => {
  const dir = tmpDir('governance');
  log(`network dir ${dir}`);
  const nodes = startNetwork(['alice', 'bob', 'charlie', 'dave', 'eve'], { dir });
  let api;
  try {
    api = await nodes[0].api();
    const eveApi = await nodes[4].api();
    const { alice, bob, dave, eve } = await devKeyring();

    await waitFor(async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() >= 2,
      120_000, 'the network to finalise block 2');
    const initial = (await api.query.session.validators()).map((v) => v.toString());
    check(initial.length === 4 && !initial.includes(eve.address), `genesis has four validators without Eve (${initial.length})`);

    // Eve's node is not on the list: no consortium node talks to it, so it stays at genesis.
    const eveHealth = await eveApi.rpc.system.health();
    const eveBest = (await eveApi.rpc.chain.getHeader()).number.toNumber();
    check(eveHealth.peers.toNumber() === 0 && eveBest === 0,
      `the unlisted node has no peers and no blocks (peers ${eveHealth.peers}, best #${eveBest})`);

    // 0. Eve joins: identity, approval, node listing.
    const reg = await submit(api, api.tx.identity.register('HubOperator', 'Hub 5', `0x${'55'.repeat(32)}`, null), eve, { finalized: false });
    check(reg.dispatchError === null, `Eve registered as a hub operator (${reg.dispatchError})`);
    const approved = await councilMotion(api, api.tx.identity.approve(eve.address), alice, bob);
    check(approved.motionError === null, `the council approved Eve (${approved.motionError})`);
    const listed = await councilMotion(api, api.tx.nodeAuthorization.addWellKnownNode(EVE_PEER_ID, eve.address), alice, bob);
    check(listed.motionError === null, `the council listed Eve's node (${listed.motionError})`);
    await waitFor(async () => (await eveApi.rpc.chain.getHeader()).number.toNumber() >= (await api.rpc.chain.getHeader()).number.toNumber() - 2,
      120_000, 'Eve\'s node to sync once listed');
    check(true, 'Eve\'s node synced after being listed');

    // 1. Eve's session keys, generated in her node's keystore with a proof of ownership.
    const generated = await eveApi.rpc.author.rotateKeysWithOwner
      ? await eveApi.rpc.author.rotateKeysWithOwner(eve.publicKey)
      : await eveApi._rpcCore.provider.send('author_rotateKeysWithOwner', [u8aToHex(eve.publicKey)]);
    const keysHex = generated.keys?.toHex ? generated.keys.toHex() : generated.keys;
    const proofHex = generated.proof?.toHex ? generated.proof.toHex() : generated.proof;
    log(`eve's new session keys ${keysHex}`);
    const setKeys = await submit(api, api.tx.session.setKeys(keysHex, proofHex), eve);
    check(setKeys.dispatchError === null, `session.setKeys succeeded (${setKeys.dispatchError})`);
    const eveKeys = (await api.query.session.nextKeys(eve.address)).unwrap();
    const eveAura = eveKeys.aura.toHex();

    // 2. Outsiders are refused with specific errors and change nothing.
    const direct = await submit(api, api.tx.validatorSet.addValidator(eve.address), dave);
    check(direct.dispatchError === 'BadOrigin', `non-council validatorSet.addValidator is rejected with BadOrigin (${direct.dispatchError})`);
    const proposal = api.tx.validatorSet.addValidator(eve.address);
    const outsider = await submit(api, api.tx.council.propose(2, proposal, proposal.method.encodedLength), dave);
    check(outsider.dispatchError === 'council.NotMember', `non-council council.propose is rejected with council.NotMember (${outsider.dispatchError})`);
    check((await api.query.validatorSet.validators()).length === 4, 'the validator set is unchanged');

    // 3. The council votes.
    const close = await councilMotion(api, proposal, alice, bob);
    check(close.motionError === null, `the council's motion executed successfully (${close.motionError})`);
    check(close.events.some(({ event }) => event.section === 'validatorSet' && event.method === 'ValidatorAdded'),
      'validatorSet.ValidatorAdded was emitted');
    check((await api.query.validatorSet.validators()).map((v) => v.toString()).includes(eve.address), 'Eve is in the admitted set');

    // 4. Eve takes part after the session change.
    await waitFor(async () => (await api.query.session.validators()).map((v) => v.toString()).includes(eve.address),
      SESSION_TIMEOUT, 'Eve in session.validators');
    const sessionIndex = (await api.query.session.currentIndex()).toNumber();
    log(`Eve is an active validator in session ${sessionIndex}`);
    const auraKeys = (await api.query.aura.authorities()).map((k) => k.toHex());
    check(auraKeys.includes(eveAura), 'Eve\'s aura key is an Aura authority');
    const grandpaSet = await api.call.grandpaApi.grandpaAuthorities();
    check(grandpaSet.length === 5, `GRANDPA has five voters (${grandpaSet.length})`);

    const authored = await waitFor(async () => {
      const best = await api.rpc.chain.getHeader();
      for (let n = best.number.toNumber(); n > best.number.toNumber() - 10 && n > 0; n--) {
        const a = await authorOf(api, await api.rpc.chain.getBlockHash(n));
        if (a && a.key === eveAura) return a;
      }
      return null;
    }, 3 * 60_000, 'a block authored by Eve', 3_000);
    check(true, `Eve authored block #${authored.number}`);
    const finalizedAt = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    await waitFor(async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber() >= authored.number,
      2 * 60_000, `finality to pass Eve's block #${authored.number} (was #${finalizedAt})`);
    check(true, 'finality covers the block Eve authored');
    await eveApi.disconnect();
  } catch (e) {
    for (const n of nodes) console.error(`---- ${n.name} log tail ----\n${n.tailLog(15)}`);
    throw e;
  } finally {
    if (api) await api.disconnect();
    await stopAll(nodes);
  }
});
