// SSE benchmark: N open notification streams (default 2,000) against a real `tongxin serve`.
// Measures the server's memory (VmRSS, VmHWM) and CPU while the streams sit idle, and the time
// for one new notification to reach every stream (5 rounds). The streams all belong to one user,
// so one notification wakes all of them: the worst case of the fan-out (each stream renders
// its own copy from the database).
//
//   node bench/sse.mjs [BIN] [--streams N] [--idle SECONDS] [--database URL]
// Needs a database with the demo loaded (made fresh in /tmp when --database is not given).
// Connections come from 127.0.0.1..127.0.0.8 so the per-address limit (512) is not hit.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const BIN = args[0] && !args[0].startsWith('--') ? args[0] : 'build/tongxin';
const STREAMS = Number(opt('--streams', 2000));
const IDLE = Number(opt('--idle', 30));
let url = opt('--database', '');
const HZ = 100; // clock ticks per second (getconf CLK_TCK on Linux)

const run = (a) => spawnSync(BIN, [...a, '--database', url], { encoding: 'utf8' });
if (!url) {
  url = join(mkdtempSync(join(tmpdir(), 'tongxin-sse-')), 'bench.db');
  run(['init']);
  const d = run(['demo', '--scale', '10']);
  if (d.status !== 0) throw new Error(d.stderr);
}
const port = await new Promise((ok) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
const server = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--database', url, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try { if ((await fetch(`${base}/healthz`)).status === 200) break; } catch { /* not yet */ }
  if (i > 400) throw new Error('server did not start');
  await new Promise((r) => setTimeout(r, 25));
}
const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'member', password: 'Tongxin@2026' }) });
console.error("# login", login.status);
const cookie = login.headers.get('set-cookie').split(';')[0];

function status(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(s.match(new RegExp(`${k}:\\s+(\\d+)`))[1]);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024, threads: kb('Threads') };
}
function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime
}

const before = status(server.pid);
const streams = [];
let received = 0;
let waiting = null;
function open(i) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/v1/notifications/stream`, {
      agent: false, localAddress: `127.0.0.${1 + (i % 8)}`, headers: { Accept: 'text/event-stream', Cookie: cookie },
    }, (res) => {
      res.setEncoding('utf8');
      const s = { got: 0, buffer: '' };
      res.on('data', (chunk) => {
        s.buffer += chunk;
        let end;
        while ((end = s.buffer.indexOf('\n\n')) >= 0) {
          const block = s.buffer.slice(0, end);
          s.buffer = s.buffer.slice(end + 2);
          if (block.includes('event: ready')) resolve(s);
          if (block.includes('event: notification')) {
            s.got++;
            received++;
            if (waiting && received >= waiting.target) waiting.done();
          }
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    streams.push(req);
  });
}
const t0 = Date.now();
for (let i = 0; i < STREAMS; i += 200) {
  await Promise.all(Array.from({ length: Math.min(200, STREAMS - i) }, (_, k) => open(i + k)));
}
const openMs = Date.now() - t0;
console.error(`# ${STREAMS} streams open in ${openMs} ms`);
await new Promise((r) => setTimeout(r, 2000));
const opened = status(server.pid);
const c0 = cpuTicks(server.pid);
const w0 = Date.now();
await new Promise((r) => setTimeout(r, IDLE * 1000));
const idleCpu = ((cpuTicks(server.pid) - c0) / HZ) / ((Date.now() - w0) / 1000) * 100;
const idle = status(server.pid);

const rounds = [];
for (let round = 0; round < 5; round++) {
  const target = received + STREAMS;
  const arrived = new Promise((done) => { waiting = { target, done }; });
  const start = Date.now();
  const sent = spawnSync(BIN, ['notify', 'test', 'member', '--message', `bench ${round}`, '--database', url]);
  const committed = Date.now();
  if (sent.status !== 0) throw new Error(String(sent.stderr));
  await arrived;
  const end = Date.now();
  console.error(`# round ${round}`);
  rounds.push({ fromSend: end - start, fromCommit: end - committed });
  await new Promise((r) => setTimeout(r, 700));
}
const after = status(server.pid);
for (const r of streams) r.destroy();
server.kill('SIGTERM');

const fmt = (x) => x.toFixed(1);
console.log(`# SSE benchmark: ${STREAMS} streams, ${cpus().length} cores (${cpus()[0].model}), database ${url.startsWith('postgres') ? 'postgresql' : 'sqlite'}`);
console.log(`| what | value |\n| --- | --- |`);
console.log(`| server RSS before streams | ${fmt(before.rss)} MB |`);
console.log(`| server RSS with ${STREAMS} idle streams | ${fmt(idle.rss)} MB (${fmt((idle.rss - before.rss) * 1024 / STREAMS)} KB per stream), threads ${idle.threads} |`);
console.log(`| server peak RSS (VmHWM) at the end | ${fmt(after.hwm)} MB |`);
console.log(`| server CPU while idle (${IDLE} s, both cores = 200 %) | ${idleCpu.toFixed(2)} % |`);
console.log(`| opening ${STREAMS} streams | ${openMs} ms |`);
console.log(`| one notification to all ${STREAMS} streams, from the CLI's start (ms, 5 rounds) | ${rounds.map((r) => r.fromSend).join(', ')} |`);
console.log(`| the same, from the CLI's exit (commit) | ${rounds.map((r) => r.fromCommit).join(', ')} |`);
server.unref();
