// A global allocation run through the API, stored, on a database of N open needs and N open
// resources: `tongxin init` + `demo --scale 10`, then the demo's open items copied (with
// organizations spread, windows cleared) until there are N of each; then `serve`, a staff
// login, POST /api/v1/matching/runs {k: 20}, and the run's phases as they change.
//
//   node bench/matching_wired.mjs /tmp/x.db 100000                       (SQLite; a fresh path)
//   node bench/matching_wired.mjs postgres://u:p@127.0.0.1:5432/emptydb 100000
//
// Caveat: copies repeat the demo's few texts, so candidates are less varied than real data.
import { spawnSync, spawn } from 'node:child_process';
const BIN = process.env.TONGXIN_BIN || 'build/tongxin';
const [url, nStr] = process.argv.slice(2);
const N = Number(nStr);
const pg = url.startsWith('postgres');
const cli = (...a) => { const r = spawnSync(BIN, [...a, '--database', url], { encoding: 'utf8' }); if (r.status) throw new Error(r.stderr); return r.stdout; };
const sql = (q) => { const r = pg ? spawnSync('psql', [url, '-qtAc', q], { encoding: 'utf8' }) : spawnSync('sqlite3', [url, q], { encoding: 'utf8' }); if (r.status) throw new Error(r.stderr); return r.stdout.trim(); };
cli('init'); cli('demo', '--scale', '10');
const cols = 'kind, org_id, title, category, quantity, remaining, unit, street_code, community_code, lat, lon, start_at, end_at, weekly_days, daily_from, daily_to, eligible_types, min_grade, other_conditions, description, contact_name, contact_phone, visibility, vis_rank, status, created_by, created_at, updated_at, version';
const maxOrg = Number(sql('SELECT max(id) FROM org'));
for (const kind of ['need', 'resource']) {
  for (;;) {
    const n = Number(sql(`SELECT count(*) FROM res_item WHERE kind = '${kind}' AND status IN ('open','partly_matched') AND remaining > 0`));
    if (n >= N) break;
    sql(`INSERT INTO res_item (${cols}) SELECT ${cols.replace('org_id', `((id * 7919 + ${n}) % ${maxOrg}) + 1`).replace('end_at', 'NULL')} FROM res_item WHERE kind = '${kind}' AND status IN ('open','partly_matched') AND remaining > 0 LIMIT ${N - n}`);
  }
}
if (pg) sql('ANALYZE');
const port = 18000 + Math.floor(Math.random() * 1000);
const srv = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--database', url, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 400; i++) { try { if ((await fetch(`${base}/healthz`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 50)); }
const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'staff', password: 'Tongxin@2026' }) });
const cookie = login.headers.get('set-cookie').split(';')[0]; const csrf = (await login.json()).csrf_token;
const t0 = Date.now();
const r = await fetch(`${base}/api/v1/matching/runs`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify({ k: 20 }) });
const run = await r.json();
let last = '';
for (;;) {
  const g = await (await fetch(`${base}/api/v1/matching/runs/${run.id}?per_page=1`, { headers: { cookie } })).json();
  const ph = `${g.status} ${g.phase ?? ''}`;
  if (ph !== last) { console.log(((Date.now() - t0) / 1000).toFixed(1), 's', ph, JSON.stringify(g.progress ?? '')); last = ph; }
  if (g.status === 'done' || g.status === 'failed') { console.log('done after', (Date.now() - t0) / 1000, 's; compute millis', g.millis, 'edges', g.n_edges, 'needs', g.n_needs, 'resources', g.n_resources); break; }
  await new Promise((res) => setTimeout(res, 200));
}
srv.kill();
