// Test harness: starts a real `tongxin serve` on a fresh database (SQLite file or a new
// PostgreSQL database, as TONGXIN_TEST_ENGINE says) and gives tests an HTTP client.
//
//   const srv = await startServer({ demo: true });   // demo: load `tongxin demo --scale 40`
//   const admin = await srv.login('admin', DEMO_PASSWORD);
//   const res = await admin.post('/api/v1/orgs', {...});   // -> { status, headers, body, text }
//   srv.cli(['user', 'list'])                          // runs the CLI on the same database
//   await srv.stop();
//
// Every exchange is checked against the OpenAPI document (contract.mjs): each JSON reply must
// match the schema its route and status declare, and each JSON body a test sends must match the
// declared request schema. A test that sends bad input on purpose says so: { invalid: true }
// (e.g. `admin.post(path, body, { invalid: true })`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkReply, checkRequest } from './contract.mjs';

export const BIN = process.env.TONGXIN_BIN || 'build/tongxin';
export const ENGINE = process.env.TONGXIN_TEST_ENGINE || 'sqlite';
export const DEMO_PASSWORD = 'Tongxin@2026';

function pgAdmin(sql) {
  const base = process.env.TONGXIN_TEST_PG_URL || 'postgres://tongxin:tongxin@127.0.0.1:5432';
  const r = spawnSync('psql', [`${base}/postgres`, '-qtAc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return base;
}

/** A fresh, empty database of the run's engine (or the one named): returns { url, drop() }. */
export function freshDatabase(engine = ENGINE) {
  const tag = `${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  if (engine === 'postgres') {
    const name = `tx_test_${tag}`;
    const base = pgAdmin(`CREATE DATABASE ${name}`);
    return {
      url: `${base}/${name}`,
      drop: () => { try { pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* ignore */ } },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'tongxin-test-'));
  return { url: join(dir, 'test.db'), drop: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runCli(url, args, opts = {}) {
  const r = spawnSync(BIN, [...args, '--database', url], {
    encoding: 'utf8', input: opts.input, env: { ...process.env, LANG: opts.lang || 'zh_CN.UTF-8', ...(opts.env || {}) },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export class Client {
  constructor(base) {
    this.base = base;
    this.cookie = null;
    this.csrf = null;
    this.token = null;
    this.lang = 'zh-CN';
  }

  /**
   * Sends one request: { status, headers, body (parsed JSON or null), text, bytes, setCookie }.
   * Options: lang, headers, noCsrf, raw (a body sent as is), invalid (the body is bad on purpose:
   * not checked against the document). Throws a ContractError when the body sent or the reply
   * received disagrees with the OpenAPI document.
   */
  async request(method, path, body, opts = {}) {
    const headers = { 'Accept-Language': opts.lang || this.lang, ...(opts.headers || {}) };
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (this.csrf && method !== 'GET' && method !== 'HEAD' && !opts.noCsrf) headers['X-CSRF-Token'] = this.csrf;
    let payload;
    if (opts.raw !== undefined) {
      payload = opts.raw;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['Content-Type'] = headers['Content-Type'] || 'application/json';
      if (!opts.invalid && /json/.test(headers['Content-Type'])) checkRequest(BIN, method, path, body);
    }
    const res = await fetch(this.base + path, { method, headers, body: payload });
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    let json = null;
    const type = res.headers.get('content-type') || '';
    if (type.includes('json')) {
      try { json = JSON.parse(text); } catch { json = null; }
    }
    checkReply(BIN, method, path, res.status, type, text);
    const setCookie = res.headers.get('set-cookie');
    return { status: res.status, headers: res.headers, body: json, text, bytes: buf, setCookie };
  }

  get(path, opts) { return this.request('GET', path, undefined, opts); }
  post(path, body, opts) { return this.request('POST', path, body, opts); }
  put(path, body, opts) { return this.request('PUT', path, body, opts); }
  patch(path, body, opts) { return this.request('PATCH', path, body, opts); }
  delete(path, body, opts) { return this.request('DELETE', path, body, opts); }
}

/**
 * Starts `tongxin serve` on port 0 and waits until it answers. The system picks the port and
 * the server names it in its start line: a port chosen here and handed over could be taken by
 * another test's server in between, and this test would then talk to that server.
 * Options: env, args. Returns { child, base, port, log() }.
 */
export async function serve(url, opts = {}) {
  const child = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--database', url, ...(opts.args || [])], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...(opts.env || {}) },
  });
  let log = '';
  child.stderr.on('data', (d) => { log += d.toString(); });
  let port = 0;
  for (let i = 0; !port; i++) {
    const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
    if (m) port = Number(m[1]);
    else if (i > 800 || child.exitCode !== null) throw new Error(`server did not start: ${log}`);
    else await new Promise((r) => setTimeout(r, 25));
  }
  const base = `http://127.0.0.1:${port}`;
  const r = await fetch(`${base}/healthz`);
  if (r.status !== 200) throw new Error(`server is not healthy (${r.status}): ${log}`);
  return { child, base, port, log: () => log };
}

/** Starts a server on a fresh database. Options: demo (bool or scale), env (extra variables),
 * ageDemo ('30d': the demo's data is that old when the server starts; TONGXIN_TEST_AGE sets it
 * for every test of a run), args (extra flags for serve), dataDir (given as --data-dir to init,
 * demo and serve alike, so the demo's attachments land where the server reads them). */
export async function startServer(opts = {}) {
  const db = freshDatabase();
  const dirArgs = opts.dataDir ? ['--data-dir', opts.dataDir] : [];
  const init = runCli(db.url, ['init', ...dirArgs]);
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  if (opts.demo) {
    const scale = typeof opts.demo === 'number' ? opts.demo : 40;
    // TONGXIN_TEST_AGE (e.g. 30d): the demo is written that long ago (the program's clock
    // offset, src/lib/clock.h), so the server meets a quiet district, as on any real morning.
    const age = opts.ageDemo || process.env.TONGXIN_TEST_AGE;
    const demo = runCli(db.url, ['demo', '--scale', String(scale), ...dirArgs],
      age ? { env: { TONGXIN_CLOCK_OFFSET: `-${age}` } } : {});
    if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  }
  const { child, base, port, log } = await serve(db.url, { ...opts, args: [...dirArgs, ...(opts.args || [])] });
  const srv = {
    base, db, port, child,
    log,
    client: () => new Client(base),
    cli: (args, o) => runCli(db.url, args, o),
    /** Runs SQL behind the program's back, through the sqlite3 / psql command line: for tests
     * that simulate time passing (a validity that ended) or tampering. Returns its output. */
    sql(text) {
      const r = ENGINE === 'postgres'
        ? spawnSync('psql', [db.url, '-qtAc', text], { encoding: 'utf8' })
        : spawnSync('sqlite3', ['-cmd', '.timeout 5000', db.url, text], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sql failed: ${r.stderr}`);
      return r.stdout.trim();
    },
    async login(username, password = DEMO_PASSWORD, extra = {}) {
      const c = new Client(base);
      const res = await c.post('/api/v1/session', { username, password, ...extra });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
      c.cookie = res.setCookie.split(';')[0];
      c.csrf = res.body.csrf_token;
      c.me = res.body.user;
      return c;
    },
    // Stops the server and fails when it did not exit cleanly: under the sanitizer build a
    // leak or memory error found at exit makes the exit status non-zero.
    async stop() {
      let code = child.exitCode;
      if (code === null) {
        const exited = new Promise((r) => child.once('exit', (c) => r(c)));
        child.kill('SIGTERM');
        code = await exited;
      }
      db.drop();
      if (code !== 0) throw new Error(`server exited with status ${code}:\n${log().slice(-4000)}`);
    },
  };
  return srv;
}
