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
  constructor({ name, port, token, threads = 1, dir, stratumPort = null, extra = [] }) {
    this.name = name;
    this.port = port;
    this.token = token;
    this.url = `http://127.0.0.1:${port}`;
    this.stratum = stratumPort ? `127.0.0.1:${stratumPort}` : null;
    this.logFile = path.join(dir, `${name}.log`);
    this.args = ['serve', '--listen', `127.0.0.1:${port}`, '--token', token, '--threads', String(threads),
      ...(stratumPort ? ['--stratum', this.stratum] : []), ...extra];
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

export const PARA_BIN = process.env.PARA_BIN
  || path.join(process.env.COMPUTILITY_TOOLS || path.join(os.homedir(), '.cache/computility-tools'), 'bin/para');

/** A third-party Stratum V1 CPU miner (para, from crates.io) pointed at `endpoint`. */
export class ThirdPartyMiner {
  constructor({ name, endpoint, worker = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh.rig1', cores = 1, dir }) {
    this.name = name;
    this.logFile = path.join(dir, `${name}.log`);
    this.args = ['miner', endpoint, '--username', worker, '--password', 'x', '--cpu-cores', String(cores)];
    this.worker = worker;
  }

  start() {
    if (!fs.existsSync(PARA_BIN)) throw new Error(`${PARA_BIN} missing: run scripts/setup.sh para`);
    const out = fs.openSync(this.logFile, 'a');
    this.proc = spawn(PARA_BIN, this.args, { stdio: ['ignore', out, out], env: { ...process.env, RUST_LOG: 'info' } });
    this.exited = false;
    this.proc.on('exit', () => { this.exited = true; });
    log(`started ${this.name}: ${PARA_BIN} ${this.args.join(' ')}`);
    return this;
  }

  async stop() {
    if (!this.proc || this.exited) return;
    this.proc.kill('SIGINT');
    for (let i = 0; i < 50 && !this.exited; i++) await sleep(100);
    if (!this.exited) this.proc.kill('SIGKILL');
  }

  tailLog(lines = 20) {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch { return ''; }
  }
}
