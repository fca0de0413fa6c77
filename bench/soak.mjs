// The soak: one `tongxin serve` on a demo district written 30 days ago, under a mixed workload of
// every role for a while (default 30 minutes): reads, searches, writes, notification streams,
// uploads, global matching runs and imports. Every minute it samples the server's resident
// memory and open file descriptors, and the minute's requests, 5xx replies and p99 latency.
// At the end: `tongxin audit verify`, and a verdict — 0 server errors (a 503 is allowed only in
// the two minutes after a database restart this soak made itself), 0 crashes, and memory
// flat after warm-up (the last third's median RSS within 15 % and 20 MB of the second third's).
// Not part of CI (it takes half an hour); the results go to docs/benchmarks.md.
//
//   node bench/soak.mjs [--minutes 30] [--database URL] [--scale 200] [--sample 60] [--users 2]
//                       [--log FILE] [--restart-postgres-at MINUTE]
// --log keeps the server's log (one access line per request); --restart-postgres-at restarts
// the local PostgreSQL cluster once, at that minute (a fault the server must ride out: 503s
// while it is down, never 500, and full service after).
//   node bench/soak.mjs --database postgres://tongxin:tongxin@127.0.0.1:5432/soak_db   (an empty db)
//
// Prints a Markdown table (one row a sample) and the verdict; exits 1 when the verdict fails.
// Traffic goes to 127.0.0.1 only; every loop ends when the time is up.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const BIN = process.env.TONGXIN_BIN || 'build/tongxin';
const MINUTES = Number(opt('--minutes', 30));
const SAMPLE_S = Number(opt('--sample', 60));
const SCALE = opt('--scale', '200');
const USERS_PER_ROLE = Number(opt('--users', 2));
const LOG = opt('--log', '');
const RESTART_AT = opt('--restart-postgres-at', '');
let url = opt('--database', '');
if (!url) url = join(mkdtempSync(join(tmpdir(), 'tongxin-soak-')), 'soak.db');
const ENGINE = url.startsWith('postgres') ? 'postgres' : 'sqlite';
const PASSWORD = 'Tongxin@2026';

const cli = (a, env = {}) => spawnSync(BIN, [...a, '--database', url], { encoding: 'utf8', env: { ...process.env, ...env } });
for (const [step, a, env] of [['init', ['init']], ['demo', ['demo', '--scale', SCALE], { TONGXIN_CLOCK_OFFSET: '-30d' }]]) {
  const r = cli(a, env);
  if (r.status !== 0) { console.error(`${step} failed: ${r.stderr}`); process.exit(2); }
}

const server = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--database', url, ...(LOG ? [] : ['--quiet'])], { stdio: ['ignore', 'ignore', 'pipe'] });
let serverLog = '';
const logFile = LOG ? createWriteStream(LOG) : null;
server.stderr.on('data', (d) => { serverLog = (serverLog + d).slice(-20000); if (logFile) logFile.write(d); });
let crashed = null;
let stopping = false;
server.on('exit', (code, sig) => { if (!stopping) crashed = `exit ${code} ${sig || ''}`; });
let base;
for (let i = 0; !base; i++) {
  const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(serverLog);
  if (m) base = `http://127.0.0.1:${m[1]}`;
  else if (i > 400 || crashed) { console.error(`server did not start: ${serverLog}`); process.exit(2); }
  else await new Promise((r) => setTimeout(r, 25));
}

// ------------------------------------------------------------------ the client and its figures
const minute = { requests: 0, errors5xx: 0, failures: 0, latencies: [] };
const total = { requests: 0, errors5xx: 0, failures: 0, errors500: 0, outside503: 0 };
let restartedAt = 0; // when this soak restarted PostgreSQL (ms): 503s are the answer for a while
function count5xx(status) {
  if (status < 500) return;
  minute.errors5xx++; total.errors5xx++;
  if (status !== 503) total.errors500++;
  else if (!restartedAt || Date.now() - restartedAt > 120000) total.outside503++;
}
const statusCounts = {};

async function request(user, method, path, body, extra = {}) {
  const headers = { 'Accept-Language': 'zh-CN', ...(extra.headers || {}) };
  if (user.cookie) headers.Cookie = user.cookie;
  if (user.csrf && method !== 'GET') headers['X-CSRF-Token'] = user.csrf;
  let payload = extra.raw;
  if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
  const t0 = performance.now();
  let status = 0;
  let json = null;
  try {
    const res = await fetch(base + path, { method, headers, body: payload, signal: AbortSignal.timeout(60000) });
    status = res.status;
    const text = await res.text();
    if ((res.headers.get('content-type') || '').includes('json')) { try { json = JSON.parse(text); } catch { /* counted below */ } }
    if (status === 401 && user.name && !extra.noRelogin) await signIn(user);
  } catch {
    minute.failures++; total.failures++;
  }
  const ms = performance.now() - t0;
  minute.requests++; total.requests++;
  minute.latencies.push(ms);
  statusCounts[status] = (statusCounts[status] || 0) + 1;
  count5xx(status);
  return { status, body: json };
}

async function signIn(user) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user.name, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${user.name}: ${res.status}`);
  user.cookie = res.headers.get('set-cookie').split(';')[0];
  user.csrf = (await res.json()).csrf_token;
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const end = Date.now() + MINUTES * 60000;
const running = () => Date.now() < end && !crashed;
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const WORDS = ['社区', '养老', '志愿', '助餐', '青少年', '文化', '心理', '法律援助', '环保', '会议'];

// ------------------------------------------------------------------ what each role does
const ids = { orgs: [], needs: [], resources: [], meetings: [], boards: [], threads: [], occurrences: [] };
async function learnIds(admin) {
  const list = async (path, key) => (await request(admin, 'GET', path)).body?.items?.map((i) => i.id) || ids[key];
  ids.orgs = await list('/api/v1/orgs?per_page=100', 'orgs');
  ids.needs = await list('/api/v1/needs?per_page=100', 'needs');
  ids.resources = await list('/api/v1/resources?per_page=100', 'resources');
  ids.meetings = await list('/api/v1/meetings?per_page=50', 'meetings');
  ids.boards = await list('/api/v1/boards?per_page=50', 'boards');
  for (const b of ids.boards.slice(0, 5)) {
    const t = (await request(admin, 'GET', `/api/v1/boards/${b}/threads?per_page=20`)).body?.items || [];
    ids.threads.push(...t.map((x) => x.id));
  }
  for (const m of ids.meetings.slice(0, 5)) {
    const o = (await request(admin, 'GET', `/api/v1/meetings/${m}/occurrences`)).body?.items || [];
    ids.occurrences.push(...o.slice(0, 3).map((x) => x.id));
  }
}

const READS = [
  () => `/api/v1/orgs?per_page=20&page=${1 + Math.floor(Math.random() * 5)}`,
  () => `/api/v1/orgs?q=${encodeURIComponent(pick(WORDS))}`,
  () => `/api/v1/orgs/${pick(ids.orgs)}`,
  () => `/api/v1/orgs/${pick(ids.orgs)}/overview`,
  () => '/api/v1/stats/registry',
  () => `/api/v1/needs?q=${encodeURIComponent(pick(WORDS))}`,
  () => `/api/v1/resources?per_page=20`,
  () => `/api/v1/needs/${pick(ids.needs)}`,
  () => '/api/v1/meetings?per_page=20',
  () => '/api/v1/announcements/inbox',
  () => '/api/v1/notifications?per_page=20',
  () => '/api/v1/notifications/unread-count',
  () => `/api/v1/boards/search?q=${encodeURIComponent(pick(WORDS))}`,
  () => `/api/v1/threads/${pick(ids.threads)}`,
  () => '/api/v1/me',
];

async function readSome(user) {
  await request(user, 'GET', pick(READS)());
}

async function openStream(user) {
  const ac = new AbortController();
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/api/v1/notifications/stream`, { headers: { Cookie: user.cookie, Accept: 'text/event-stream' }, signal: ac.signal });
    minute.requests++; total.requests++;
    minute.latencies.push(performance.now() - t0);
    count5xx(res.status);
    const reader = res.body.getReader();
    const stop = Date.now() + 3000 + Math.random() * 7000;
    while (Date.now() < stop && running()) {
      const r = await Promise.race([reader.read(), sleep(1000).then(() => null)]);
      if (r && r.done) break;
    }
  } catch { /* aborted below */ }
  ac.abort();
}

const ACTIONS = {
  admin: [readSome, readSome, async (u) => request(u, 'GET', '/api/v1/audit?per_page=50')],
  staff: [readSome, readSome, readSome,
    async (u) => request(u, 'POST', '/api/v1/announcements', { title: `浸泡测试通知 ${Date.now()}`, body: '请各组织按时报送材料。', audience: { kind: 'all' } }),
    async (u) => request(u, 'GET', `/api/v1/needs/${pick(ids.needs)}/suggestions`),
    async (u) => request(u, 'GET', `/api/v1/resources/${pick(ids.resources)}/suggestions`),
    async (u) => request(u, 'GET', '/api/v1/orgs/export?format=csv'),
    async (u) => request(u, 'GET', '/api/v1/liaison/overdue/orgs?per_page=50'),
    async (u) => {
      if (!ids.occurrences.length) return;
      const pdf = Buffer.from(`%PDF-1.4\n% soak ${Date.now()} ${Math.random()}\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n`);
      await request(u, 'POST', `/api/v1/occurrences/${pick(ids.occurrences)}/files`, undefined,
        { raw: pdf, headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': encodeURIComponent('浸泡材料.pdf') } });
    }],
  liaison: [readSome, async (u) => request(u, 'GET', '/api/v1/liaison/me'),
    async (u) => {
      const mine = (await request(u, 'GET', '/api/v1/liaison/me')).body?.orgs || [];
      const org = mine.length ? pick(mine) : null;
      if (org) await request(u, 'POST', `/api/v1/liaison/orgs/${org.org_id ?? org.id}/contacts`, { kind: 'visit', contact_on: today(), summary: '浸泡测试走访' });
    }],
  orgadmin: [readSome, readSome,
    async (u) => {
      const own = u.orgs?.[0];
      if (!own) return;
      const r = await request(u, 'POST', '/api/v1/needs', { org_id: own, title: `${pick(WORDS)}志愿者（浸泡）`, category: 'volunteers', quantity: 3, unit: 'people' });
      if (r.body?.id) await request(u, 'PATCH', `/api/v1/needs/${r.body.id}`, { version: r.body.version, quantity: 4 });
    }],
  member: [readSome, readSome,
    async (u) => { if (ids.threads.length) await request(u, 'POST', `/api/v1/threads/${pick(ids.threads)}/posts`, { body: `浸泡测试回复 ${pick(WORDS)}` }); }],
  expert: [readSome, async (u) => request(u, 'GET', '/api/v1/talents?per_page=20')],
  mediator: [readSome],
  officer: [readSome],
  resident: [readSome, readSome],
  supervisor: [readSome, async (u) => request(u, 'GET', '/api/v1/audit?per_page=20')],
};

async function userLoop(user) {
  const actions = ACTIONS[user.role];
  while (running()) {
    const r = Math.random();
    if (r < 0.03) await openStream(user);
    else await pick(actions)(user).catch(() => { minute.failures++; total.failures++; });
    await sleep(50 + Math.random() * 150);
  }
}

// the staff's occasional heavy work: a global matching run, an import (dry run and real)
async function heavyLoop(staff) {
  let i = 0;
  while (running()) {
    await sleep(20000);
    if (!running()) break;
    if (i++ % 2 === 0) {
      await request(staff, 'POST', '/api/v1/matching/runs', { k: 10 });
    } else {
      const code = () => { // a valid unified social credit code (GB 32100)
        const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
        const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        let body = '51330602';
        for (let k = 0; k < 9; k++) body += alphabet[Math.floor(Math.random() * 10)];
        const sum = [...body].reduce((s, ch, k) => s + alphabet.indexOf(ch) * w[k], 0);
        return body + alphabet[(31 - (sum % 31)) % 31];
      };
      const header = '名称,统一社会信用代码,类型,服务领域,所属街道,联系电话,成立日期';
      const rows = Array.from({ length: 20 }, (_, k) => `浸泡导入组织${Date.now()}${k},${code()},社会团体,文化,330602001000,13800001234,2020/3/5`);
      await request(staff, 'POST', `/api/v1/imports?dry_run=${i % 4 === 1 ? 1 : 0}`, undefined,
        { raw: `${header}\r\n${rows.join('\r\n')}\r\n`, headers: { 'Content-Type': 'text/csv' } });
    }
  }
}

// ------------------------------------------------------------------ samples
function proc() {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  return { rss, fds: readdirSync(`/proc/${server.pid}/fd`).length };
}
const samples = [];
function sample(t) {
  const l = minute.latencies.sort((a, b) => a - b);
  const p = (q) => (l.length ? l[Math.min(l.length - 1, Math.floor(q * l.length))] : 0);
  const s = { minute: t, ...proc(), requests: minute.requests, errors5xx: minute.errors5xx, failures: minute.failures, p50: p(0.5), p99: p(0.99) };
  samples.push(s);
  console.error(`soak ${ENGINE} ${(t).toFixed(1)} min: rss ${s.rss.toFixed(1)} MB, fds ${s.fds}, ${s.requests} req, ${s.errors5xx} 5xx, p99 ${s.p99.toFixed(1)} ms`);
  Object.assign(minute, { requests: 0, errors5xx: 0, failures: 0, latencies: [] });
}

// ------------------------------------------------------------------ the run
const started = Date.now();
const users = [];
const admin = { name: 'admin', role: 'admin' };
await signIn(admin);
await learnIds(admin);
for (const role of Object.keys(ACTIONS)) {
  for (let k = 0; k < USERS_PER_ROLE; k++) {
    const u = { name: role, role };
    await signIn(u);
    if (role === 'orgadmin') u.orgs = (await request(u, 'GET', '/api/v1/me')).body?.org_ids;
    users.push(u);
  }
}
if (RESTART_AT && ENGINE === 'postgres') {
  setTimeout(() => {
    const [ver, name] = spawnSync('pg_lsclusters', ['-h'], { encoding: 'utf8' }).stdout.trim().split('\n')[0].split(/\s+/);
    restartedAt = Date.now();
    const r = spawnSync('pg_ctlcluster', [ver, name, 'restart'], { encoding: 'utf8' });
    console.error(`soak: PostgreSQL restarted at ${((Date.now() - started) / 60000).toFixed(1)} min (${r.status === 0 ? 'ok' : r.stderr})`);
  }, Number(RESTART_AT) * 60000);
}
const sampler = setInterval(() => sample((Date.now() - started) / 60000), SAMPLE_S * 1000);
sample(0);
await Promise.all([...users.map(userLoop), heavyLoop(users.find((u) => u.role === 'staff'))]);
clearInterval(sampler);
const alive = !crashed && (await fetch(`${base}/healthz`).then((r) => r.status).catch(() => 0)) === 200;
if (!crashed) {
  stopping = true;
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
}
const verify = cli(['audit', 'verify']);

// flat memory: after warm-up (the first third), the last third's median is within 15 % and 20 MB
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : 0; };
const third = Math.max(1, Math.floor(samples.length / 3));
const middle = median(samples.slice(third, 2 * third).map((s) => s.rss));
const last = median(samples.slice(2 * third).map((s) => s.rss));
const flat = last <= middle * 1.15 || last - middle <= 20;

console.log(`\n| minute | RSS MB | open fds | requests | 5xx | p50 ms | p99 ms |`);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const s of samples) console.log(`| ${s.minute.toFixed(1)} | ${s.rss.toFixed(1)} | ${s.fds} | ${s.requests} | ${s.errors5xx} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} |`);
console.log(`\nengine ${ENGINE}, ${MINUTES} min, ${users.length} users, ${total.requests} requests, statuses ${JSON.stringify(statusCounts)}`);
console.log(`5xx: ${total.errors5xx} (other than 503: ${total.errors500}; 503 outside the two minutes after this soak's database restart: ${total.outside503}); failed requests: ${total.failures}; server ${crashed ? `crashed (${crashed})` : alive ? 'alive' : 'not answering'}; ` +
  `RSS median second third ${middle.toFixed(1)} MB, last third ${last.toFixed(1)} MB (${flat ? 'flat' : 'GROWING'}); ` +
  `audit verify: ${verify.status === 0 ? 'ok' : `FAILED ${verify.stdout}${verify.stderr}`}`);
const ok = total.errors500 === 0 && total.outside503 === 0 && !crashed && alive && flat && verify.status === 0;
console.log(ok ? 'verdict: pass' : 'verdict: FAIL');
if (crashed) console.log(serverLog.slice(-3000));
process.exit(ok ? 0 : 1);
