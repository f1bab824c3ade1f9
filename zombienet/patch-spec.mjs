// Lists zombienet's nodes as the consortium's authorised nodes in a plain chain spec.
//
// Zombienet gives each node the node key sha256(name); our `local` preset lists the nodes of
// the well-known development keys instead. This rewrites `nodeAuthorization.nodes` so that the
// named validators' zombienet nodes are the listed ones (owned by the same accounts), exactly
// what a consortium does when it writes its production chain spec.
//
//   node patch-spec.mjs <plain-spec.json> alice bob charlie dave
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../scripts/package.json'));
const { ed25519PairFromSeed, cryptoWaitReady } = require('@polkadot/util-crypto');
const { hexToU8a } = require('@polkadot/util');

/** The peer id bytes (identity multihash of the protobuf ed25519 key) of zombienet's node `name`. */
export function zombienetPeerId(name) {
  const seed = hexToU8a('0x' + createHash('sha256').update(name).digest('hex'));
  const { publicKey } = ed25519PairFromSeed(seed);
  return [0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...publicKey];
}

const [specPath, ...names] = process.argv.slice(2);
if (!specPath || names.length === 0) {
  console.error('usage: node patch-spec.mjs <plain-spec.json> <node name>...');
  process.exit(2);
}
await cryptoWaitReady();
const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
const patch = spec.genesis?.runtimeGenesis?.patch;
if (!patch?.nodeAuthorization) throw new Error(`${specPath} has no nodeAuthorization genesis`);
const owners = patch.nodeAuthorization.nodes.map(([, owner]) => owner);
if (owners.length < names.length) throw new Error('more names than listed nodes');
patch.nodeAuthorization.nodes = names.map((name, i) => [zombienetPeerId(name), owners[i]]);
fs.writeFileSync(specPath, JSON.stringify(spec, null, 2));
console.log(`listed zombienet nodes ${names.join(', ')} as authorised nodes`);
