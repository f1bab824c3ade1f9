// Governance actions for the zombienet tests, run by `js-script` on a council member's node.
//   "add-node,<name>"  the council (alice proposes, alice and bob vote aye) adds zombienet node
//                      <name> to the authorised node list; returns 1 once the motion executed
const crypto = require('crypto');

function zombienetPeerId(name, keyring) {
  const seed = crypto.createHash('sha256').update(name).digest();
  const pair = keyring.addFromSeed(seed, {}, 'ed25519');
  return '0x' + Buffer.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...pair.publicKey]).toString('hex');
}

function send(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) reject(new Error(dispatchError.toString()));
      else if (status.isInBlock) resolve(events);
      else if (status.isInvalid || status.isDropped) reject(new Error(status.type));
    }).catch(reject);
  });
}

async function run(nodeName, networkInfo, args) {
  const [action, target] = args.map((a) => a.trim());
  if (action !== 'add-node') throw new Error(`unknown action ${action}`);
  const api = await zombie.connect(networkInfo.nodesByName[nodeName].wsUri);
  try {
    const keyring = new zombie.Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const peer = zombienetPeerId(target, keyring);
    const call = api.tx.nodeAuthorization.addWellKnownNode(peer, alice.address);
    const len = call.method.encodedLength;
    const proposed = await send(api, api.tx.council.propose(2, call, len), alice);
    const ev = proposed.find(({ event }) => event.section === 'council' && event.method === 'Proposed');
    const index = ev.event.data[1].toNumber();
    const hash = ev.event.data[2].toHex();
    await send(api, api.tx.council.vote(hash, index, true), alice);
    await send(api, api.tx.council.vote(hash, index, true), bob);
    const closed = await send(api, api.tx.council.close(hash, index, { refTime: 10n ** 12n, proofSize: 10n ** 6n }, len), bob);
    const executed = closed.find(({ event }) => event.section === 'council' && event.method === 'Executed');
    const added = closed.some(({ event }) => event.section === 'nodeAuthorization' && event.method === 'NodeAdded');
    console.log(`[${nodeName}] motion ${hash}: executed ${executed?.event.data[1].toString()}, node ${peer} added: ${added}`);
    return executed && executed.event.data[1].isOk && added ? 1 : 0;
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
