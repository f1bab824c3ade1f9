// Starts and stops real computility-miner processes, and reads their status over HTTP.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, sleep, waitFor } from './chain.js';

export const MINER_BIN = process.env.MINER_BIN
  || path.join(process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache/computility-target'),
    'release/computility-miner');

export class Miner {
  constructor({ name, port, token, threads = 1, dir }) {
    this.name = name;
    this.port = port;
    this.token = token;
    this.url = `http://127.0.0.1:${port}`;
    this.logFile = path.join(dir, `${name}.log`);
    this.args = ['serve', '--listen', `127.0.0.1:${port}`, '--token', token, '--threads', String(threads)];
  }

  async start() {
    const out = fs.openSync(this.logFile, 'a');
    this.proc = spawn(MINER_BIN, this.args, { stdio: ['ignore', out, out] });
    this.exited = false;
    this.proc.on('exit', () => { this.exited = true; });
    log(`started miner ${this.name}: ${MINER_BIN} ${this.args.join(' ').replace(this.token, '***')}`);
    await waitFor(async () => (await this.status().catch(() => null)) !== null, 20_000, `${this.name} to answer`);
    return this;
  }

  /** GET /status (authenticated). */
  async status() {
    const r = await fetch(`${this.url}/status`, { headers: { Authorization: `Bearer ${this.token}` } });
    if (r.status !== 200) throw new Error(`status ${r.status}`);
    return r.json();
  }

  /** Kill it at once (a crash, not a shutdown). */
  async kill() {
    if (!this.proc || this.exited) return;
    this.proc.kill('SIGKILL');
    for (let i = 0; i < 50 && !this.exited; i++) await sleep(100);
  }

  tailLog(lines = 20) {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch { return ''; }
  }
}
