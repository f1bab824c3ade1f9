// Measurements for the zombienet tests, run by `js-script` on one node:
//   "advance,<secs>,<best|finalized>"  how far the height moved during <secs> seconds
//   "validators"                       how many validators the session has
//   "record"                           remember the finalised head (hash and number) in the
//                                      network's directory; returns its number
//   "kept"                             1 if the recorded block is still the finalised chain's
//                                      block at that height and is finalised, else 0
//   "isolated"                         1 if this node has no peers and no block beyond genesis
//   "synced"                           1 if this node's finalised head has reached the height
//                                      that alice had finalised when the probe started
const fs = require('fs');
const path = require('path');

async function heights(api) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const fin = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  return { best, finalized: fin };
}

async function run(nodeName, networkInfo, args) {
  const mode = (args[0] || '').trim();
  const api = await zombie.connect(networkInfo.nodesByName[nodeName].wsUri);
  const recordFile = path.join(networkInfo.tmpDir, 'recorded-finalized.json');
  try {
    if (mode === 'advance') {
      const secs = Number(args[1] || 30);
      const what = (args[2] || 'finalized').trim();
      const a = await heights(api);
      await new Promise((r) => setTimeout(r, secs * 1000));
      const b = await heights(api);
      console.log(`[${nodeName}] in ${secs}s best ${a.best} -> ${b.best}, finalised ${a.finalized} -> ${b.finalized}`);
      return b[what] - a[what];
    }
    if (mode === 'validators') {
      const v = await api.query.session.validators();
      console.log(`[${nodeName}] validators: ${v.map((x) => x.toString()).join(', ')}`);
      return v.length;
    }
    if (mode === 'record') {
      const hash = await api.rpc.chain.getFinalizedHead();
      const number = (await api.rpc.chain.getHeader(hash)).number.toNumber();
      fs.writeFileSync(recordFile, JSON.stringify({ number, hash: hash.toHex() }));
      console.log(`[${nodeName}] recorded finalised #${number} ${hash.toHex()}`);
      return number;
    }
    if (mode === 'kept') {
      const { number, hash } = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
      const now = await api.rpc.chain.getBlockHash(number);
      const fin = await heights(api);
      const kept = now.toHex() === hash && fin.finalized >= number;
      console.log(`[${nodeName}] #${number} recorded ${hash}, now ${now.toHex()}, finalised head #${fin.finalized}: ${kept ? 'kept' : 'LOST'}`);
      return kept ? 1 : 0;
    }
    if (mode === 'isolated') {
      const health = await api.rpc.system.health();
      const h = await heights(api);
      console.log(`[${nodeName}] peers ${health.peers}, best #${h.best}, finalised #${h.finalized}`);
      return health.peers.toNumber() === 0 && h.best === 0 ? 1 : 0;
    }
    if (mode === 'synced') {
      const ref = await zombie.connect(networkInfo.nodesByName.alice.wsUri);
      try {
        const target = (await heights(ref)).finalized;
        for (let i = 0; i < 170; i++) {
          const h = await heights(api);
          if (h.finalized >= target) {
            const mine = await api.rpc.chain.getBlockHash(target);
            const theirs = await ref.rpc.chain.getBlockHash(target);
            console.log(`[${nodeName}] finalised #${h.finalized} >= #${target}; same block: ${mine.eq(theirs)}`);
            return mine.eq(theirs) ? 1 : 0;
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
        return 0;
      } finally {
        await ref.disconnect();
      }
    }
    throw new Error(`unknown mode ${mode}`);
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
