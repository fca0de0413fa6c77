// The server survives a PostgreSQL restart: after the database comes back, requests succeed
// again without restarting tongxin (connections are reset and statements re-prepared).
// Runs alone (scripts/run-api.sh runs this folder after the parallel suite), because it
// restarts the shared test cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, ENGINE } from '../api/harness.mjs';

const skip = ENGINE !== 'postgres' ? 'PostgreSQL only' : false;
let srv;
before(async () => { if (!skip) srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

function restartCluster() {
  const list = spawnSync('pg_lsclusters', ['-h'], { encoding: 'utf8' }).stdout.trim().split('\n')[0].split(/\s+/);
  const r = spawnSync('pg_ctlcluster', [list[0], list[1], 'restart'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('requests succeed again after the database restarts', { skip }, async () => {
  const c = srv.client();
  const user = srv.cli(['user', 'add', 'boss', '--name', '王主任', '--role', 'admin', '--password', 'Secret2026x']);
  assert.equal(user.status, 0, user.stderr);
  const me = await srv.login('boss', 'Secret2026x');
  // warm every polling thread's connection and prepared statements
  for (let i = 0; i < 20; i++) assert.equal((await me.get('/api/v1/me')).status, 200);
  restartCluster();
  let ok = 0;
  for (let i = 0; i < 20; i++) {
    const h = await c.get('/healthz');
    const m = await me.get('/api/v1/me');
    if (h.status === 200 && m.status === 200) ok++;
  }
  assert.equal(ok, 20, 'every request after the restart succeeded');
});
