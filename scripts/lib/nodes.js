// Starts and stops real computility-node processes for the end-to-end tests.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, log, sleep } from './chain.js';

export const NODE_BIN = process.env.NODE_BIN
  || path.join(process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache/computility-target'),
    'release/computility-node');

// Fixed node keys give fixed peer ids, so that later nodes can name the first as bootnode.
// Node i gets the ed25519 secret i+1 (so node 0 has ALICE_PEER_ID).
function nodeKey(index) {
  return (index + 1).toString(16).padStart(64, '0');
}

/**
 * A running node. `name` is a dev account name (alice, bob, ...) whose keys the node holds;
 * `index` picks distinct ports: p2p 30400+i, RPC 9950+i, Prometheus 9700+i.
 */
export class Node {
  constructor({ name, index, chain = 'local', validator = true, bootnode = null, extraArgs = [], dir }) {
    this.name = name;
    this.index = index;
    this.p2pPort = 30400 + index;
    this.rpcPort = 9950 + index;
    this.url = `ws://127.0.0.1:${this.rpcPort}`;
    this.dir = dir;
    this.logFile = path.join(dir, `${name}.log`);
    const args = [
      '--chain', chain,
      '--base-path', path.join(dir, name),
      `--${name}`,
      '--name', name,
      '--rpc-port', String(this.rpcPort),
      '--prometheus-port', String(9700 + index),
      '--rpc-cors', 'all',
      '--rpc-methods', 'unsafe',
      '--no-mdns',
      '--no-telemetry',
      '--listen-addr', `/ip4/127.0.0.1/tcp/${this.p2pPort}`,
      ...(validator ? [] : ['--validator=false']),
      ...extraArgs,
    ];
    args.push('--node-key', nodeKey(index));
    if (bootnode) args.push('--bootnodes', bootnode);
    this.args = args;
  }

  start() {
    const out = fs.openSync(this.logFile, 'a');
    this.proc = spawn(NODE_BIN, this.args, { stdio: ['ignore', out, out] });
    this.exited = false;
    this.proc.on('exit', () => { this.exited = true; });
    log(`started ${this.name}: ${NODE_BIN} ${this.args.join(' ')}`);
    return this;
  }

  async stop() {
    if (!this.proc || this.exited) return;
    this.proc.kill('SIGTERM');
    for (let i = 0; i < 50 && !this.exited; i++) await sleep(100);
    if (!this.exited) this.proc.kill('SIGKILL');
  }

  /** Connect polkadot-js to this node; fails at once, with the log, if the node exits. */
  async api(timeoutMs = 120_000) {
    let timer;
    const exited = new Promise((_, reject) => {
      timer = setInterval(() => {
        if (this.exited) reject(new Error(`${this.name} exited:\n${this.tailLog(20)}`));
      }, 200);
    });
    try {
      return await Promise.race([connect(this.url, timeoutMs), exited]);
    } finally {
      clearInterval(timer);
    }
  }

  tailLog(lines = 30) {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch { return ''; }
  }
}

/** Peer id of alice's fixed node key (ed25519 secret 0x..01). */
export const ALICE_PEER_ID = '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp';

export function tmpDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `computility-${prefix}-`));
}

/** Start `names` as a network on the `local` chain, the first as bootnode. */
export function startNetwork(names, { dir, chain = 'local', extra = {} } = {}) {
  const nodes = [];
  names.forEach((name, i) => {
    const bootnode = i === 0 ? null : `/ip4/127.0.0.1/tcp/30400/p2p/${ALICE_PEER_ID}`;
    nodes.push(new Node({ name, index: i, chain, bootnode, dir, extraArgs: extra[name] ?? [] }).start());
  });
  return nodes;
}

export async function stopAll(nodes) {
  await Promise.all(nodes.map((n) => n.stop()));
}
