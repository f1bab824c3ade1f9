// A Stratum V1 pool for the tests: it stands for the buyer's pool (the distribution centre)
// that a miner server joins as a client. Written independently of the Rust share-checking core
// (Node's own SHA-256), it checks shares the way classic pools do: the worker must be
// authorised on the connection, the job known (21 otherwise), the extranonce2 of the right size,
// ntime within the job's roll window, the share new (22 otherwise) and its SHA-256d at or below
// the target of the connection's difficulty (23 otherwise); version bits only under the
// BIP 320 mask agreed in `mining.configure`.
import crypto from 'node:crypto';
import net from 'node:net';
import { log } from './chain.js';

const MASK = 0x1fffe000;
const DIFF1 = 0xffffn << 208n;
/** The coinbase script before the extranonces: block height 100000, the pool's tag. */
const SCRIPT = Buffer.concat([Buffer.from('03a08601', 'hex'), Buffer.from('/computility-test-pool/', 'utf8')]);

const sha256d = (b) => crypto.createHash('sha256').update(crypto.createHash('sha256').update(b).digest()).digest();
const le32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };
const hex8 = (n) => (n >>> 0).toString(16).padStart(8, '0');
/** Header-order hash → Stratum's prevhash (each 4-byte word byte-swapped). */
const stratumPrevhash = (h) => Buffer.concat([...Array(8).keys()].map((w) => Buffer.from(h.subarray(w * 4, w * 4 + 4)).reverse()));

/** The target of a Stratum difficulty (1 = 0xffff × 2^208), exact for multiples of 1/65536. */
export function targetOf(difficulty) {
  const units = BigInt(Math.round(difficulty * 65536));
  return (DIFF1 * 65536n) / units;
}

/** SHA-256d of a header read as a little-endian 256-bit number. */
function hashValue(header) {
  return BigInt(`0x${Buffer.from(sha256d(header)).reverse().toString('hex')}`);
}

export class TestPool {
  /**
   * @param port where it listens (127.0.0.1)
   * @param difficulty its share difficulty (Stratum units)
   * @param payout bytes its coinbase pays to (hex, no 0x)
   * @param workers { name: password }
   */
  constructor({ port, difficulty, payout, workers, jobSeconds = 15 }) {
    this.port = port;
    this.difficulty = difficulty;
    this.payout = Buffer.from(payout, 'hex');
    this.workers = workers;
    this.jobSeconds = jobSeconds;
    this.jobs = new Map();
    this.nextJob = 1;
    this.nextEn1 = 0x0c0ffee0;
    this.conns = new Set();
    this.accepted = 0;
    this.rejected = {};
    this.byWorker = {};
    this.bySession = {};
    this.seen = new Set();
  }

  start() {
    this.newJob(true);
    this.timer = setInterval(() => this.newJob(false), this.jobSeconds * 1000);
    this.server = net.createServer((s) => this.serve(s));
    return new Promise((resolve) => this.server.listen(this.port, '127.0.0.1', () => {
      log(`test pool listening on 127.0.0.1:${this.port}, difficulty ${this.difficulty}`);
      resolve(this);
    }));
  }

  async stop() {
    clearInterval(this.timer);
    for (const c of this.conns) c.sock.destroy();
    await new Promise((r) => this.server.close(r));
  }

  /** A new job; `clean`: a new previous block (earlier jobs become stale). */
  newJob(clean) {
    if (clean) this.jobs.clear();
    const id = (this.nextJob++).toString(16);
    const job = {
      id,
      prevhash: crypto.randomBytes(32),
      // A coinbase input whose script has the height, a tag and the 8 extranonce bytes; its
      // one output (in coinb2) pays the pool.
      coinb1: Buffer.concat([Buffer.from(`01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff${(SCRIPT.length + 8).toString(16).padStart(2, '0')}`, 'hex'), SCRIPT]),
      coinb2: Buffer.concat([Buffer.from('ffffffff0100f2052a01000000', 'hex'), Buffer.from([this.payout.length]), this.payout, Buffer.from('00000000', 'hex')]),
      branch: [crypto.randomBytes(32), crypto.randomBytes(32)],
      version: 0x20000000,
      nbits: 0x1d00ffff,
      ntime: Math.floor(Date.now() / 1000),
    };
    this.jobs.set(id, job);
    this.current = job;
    for (const c of this.conns) if (c.subscribed) this.notify(c, clean);
  }

  notify(c, clean) {
    const j = this.current;
    this.send(c, { id: null, method: 'mining.notify', params: [j.id, stratumPrevhash(j.prevhash).toString('hex'), j.coinb1.toString('hex'),
      j.coinb2.toString('hex'), j.branch.map((h) => h.toString('hex')), hex8(j.version), hex8(j.nbits), hex8(j.ntime), clean] });
  }

  send(c, msg) {
    if (!c.sock.destroyed) c.sock.write(`${JSON.stringify(msg)}\n`);
  }

  serve(sock) {
    const c = { sock, subscribed: false, worker: null, en1: null, rolling: false, buf: '' };
    this.conns.add(c);
    sock.on('data', (d) => {
      c.buf += d.toString();
      if (c.buf.length > 65536) { sock.destroy(); return; }
      let i;
      while ((i = c.buf.indexOf('\n')) >= 0) {
        const line = c.buf.slice(0, i).trim();
        c.buf = c.buf.slice(i + 1);
        if (!line) continue;
        let msg;
        try { msg = JSON.parse(line); } catch { this.send(c, { id: null, result: null, error: [20, 'malformed JSON', null] }); continue; }
        this.handle(c, msg);
      }
    });
    sock.on('error', () => {});
    sock.on('close', () => this.conns.delete(c));
  }

  reject(c, id, code, msg) {
    this.rejected[code] = (this.rejected[code] || 0) + 1;
    this.send(c, { id, result: null, error: [code, msg, null] });
  }

  handle(c, { id, method, params = [] }) {
    switch (method) {
      case 'mining.configure':
        c.rolling = (params[0] || []).includes('version-rolling');
        return this.send(c, { id, result: { 'version-rolling': c.rolling, 'version-rolling.mask': hex8(MASK) }, error: null });
      case 'mining.subscribe': {
        c.en1 = Buffer.from(hex8(this.nextEn1++), 'hex');
        c.subscribed = true;
        this.send(c, { id, result: [[['mining.notify', c.en1.toString('hex')]], c.en1.toString('hex'), 4], error: null });
        this.send(c, { id: null, method: 'mining.set_difficulty', params: [this.difficulty] });
        return this.notify(c, true);
      }
      case 'mining.authorize': {
        const [name, password] = params;
        if (!(name in this.workers) || this.workers[name] !== password) return this.reject(c, id, 24, 'unauthorized worker');
        c.worker = name;
        return this.send(c, { id, result: true, error: null });
      }
      case 'mining.submit': return this.submit(c, id, params);
      default: return this.reject(c, id, 20, 'unknown method');
    }
  }

  submit(c, id, [worker, jobId, en2hex, ntimeHex, nonceHex, versionHex]) {
    if (!c.subscribed) return this.reject(c, id, 25, 'not subscribed');
    if (!c.worker || worker !== c.worker) return this.reject(c, id, 24, 'unauthorized worker');
    const job = this.jobs.get(jobId);
    if (!job) return this.reject(c, id, 21, 'stale job');
    const en2 = Buffer.from(en2hex || '', 'hex');
    if (en2.length !== 4 || en2.toString('hex') !== (en2hex || '').toLowerCase()) return this.reject(c, id, 20, 'bad extranonce2');
    const ntime = parseInt(ntimeHex, 16);
    const nonce = parseInt(nonceHex, 16);
    if (!(ntime >= job.ntime && ntime <= job.ntime + 7200) || Number.isNaN(nonce)) return this.reject(c, id, 20, 'bad ntime or nonce');
    let version = job.version;
    if (versionHex !== undefined) {
      const bits = parseInt(versionHex, 16);
      if (!c.rolling || Number.isNaN(bits) || (bits & ~MASK) !== 0) return this.reject(c, id, 20, 'version bits outside the mask');
      version = ((job.version & ~MASK) | bits) >>> 0;
    }
    const key = `${jobId}/${c.en1.toString('hex')}/${en2hex}/${ntimeHex}/${nonceHex}/${versionHex}`;
    if (this.seen.has(key)) return this.reject(c, id, 22, 'duplicate share');
    let root = sha256d(Buffer.concat([job.coinb1, c.en1, en2, job.coinb2]));
    for (const h of job.branch) root = sha256d(Buffer.concat([root, h]));
    const header = Buffer.concat([le32(version), job.prevhash, root, le32(ntime), le32(job.nbits), le32(nonce)]);
    if (hashValue(header) > targetOf(this.difficulty)) return this.reject(c, id, 23, 'low difficulty share');
    this.seen.add(key);
    this.accepted++;
    this.byWorker[worker] = (this.byWorker[worker] || 0) + 1;
    const s = c.en1.toString('hex');
    this.bySession[s] = (this.bySession[s] || 0) + 1;
    return this.send(c, { id, result: true, error: null });
  }
}
