// The audit trail through the API: who may read it, the filters, paging, and verification of
// an untouched chain. Tampering and backups are in audit_tamper.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, BIN } from './harness.mjs';

let srv;
let admin;
let supervisor;
const PASSWORD = 'Secret2026x';
const ids = {};

function cli(args) {
  const r = srv.cli(args);
  assert.equal(r.status, 0, r.stderr);
  return r;
}

before(async () => {
  srv = await startServer();
  // Writes that audit: three accounts created on the command line (actor: the system
  // operator, id -1), then the clerk changes their own password (actor: the clerk).
  cli(['user', 'add', 'boss', '--name', '王主任', '--role', 'admin', '--password', PASSWORD]);
  cli(['user', 'add', 'watcher', '--name', '赵监督', '--role', 'supervisor', '--password', PASSWORD]);
  cli(['user', 'add', 'clerk', '--name', '李干事', '--role', 'staff', '--password', PASSWORD]);
  cli(['user', 'passwd', 'clerk', '--password', 'Changed2026x', '--as', 'clerk']);
  admin = await srv.login('boss', PASSWORD);
  supervisor = await srv.login('watcher', PASSWORD);
  for (const it of (await admin.get('/api/v1/audit?action=user.create')).body.items) ids[it.after.username] = it.object_id;
});
after(async () => { await srv.stop(); });

test('an administrator and a supervisor see the trail newest first, with before/after as objects', async () => {
  for (const c of [admin, supervisor]) {
    const res = await c.get('/api/v1/audit');
    assert.equal(res.status, 200);
    assert.equal(res.body.total, 4);
    const items = res.body.items;
    assert.deepEqual(items.map((i) => i.id), [4, 3, 2, 1]);
    assert.deepEqual(items.map((i) => i.action), ['user.password', 'user.create', 'user.create', 'user.create']);
    const created = items[3];
    assert.equal(created.before, null);
    assert.equal(created.after.username, 'boss');
    assert.equal(created.after.display_name, '王主任');
    assert.deepEqual(created.after.roles, ['admin']);
    assert.equal(created.actor_id, -1);
    assert.equal(created.prev_hash, '0'.repeat(64));
    assert.match(created.hash, /^[0-9a-f]{64}$/);
    assert.equal(items[2].prev_hash, created.hash, 'each record carries the hash of the one before');
  }
});

test('staff and other roles are refused the trail and its verification; anonymous callers must sign in', async () => {
  const clerk = await srv.login('clerk', 'Changed2026x');
  for (const path of ['/api/v1/audit', '/api/v1/audit/verify']) {
    const res = await clerk.get(path);
    assert.equal(res.status, 403, path);
    assert.equal(res.body.code, 'forbidden');
    assert.equal((await srv.client().get(path)).status, 401, path);
  }
});

test('the chain of a fresh database verifies', async () => {
  for (const c of [admin, supervisor]) {
    const res = await c.get('/api/v1/audit/verify');
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, true);
    assert.equal(res.body.records, 4);
    assert.equal(res.body.first_bad_id, null);
    assert.equal(res.body.problem, null);
    assert.equal(res.body.head_id, 4);
    assert.match(res.body.head_hash, /^[0-9a-f]{64}$/);
  }
});

test('filters: by actor, action, object and time', async () => {
  const byClerk = (await admin.get(`/api/v1/audit?actor=${ids.clerk}`)).body;
  assert.deepEqual(byClerk.items.map((i) => [i.action, i.actor_name, i.object_id]), [['user.password', 'clerk', ids.clerk]]);
  assert.deepEqual(byClerk.items[0].actor_roles, ['staff']);
  assert.equal((await admin.get('/api/v1/audit?actor=-1')).body.total, 3);

  const creates = (await admin.get('/api/v1/audit?action=user.create')).body;
  assert.equal(creates.total, 3);
  assert.ok(creates.items.every((i) => i.action === 'user.create'));

  const clerkHistory = (await admin.get(`/api/v1/audit?object_type=user&object_id=${ids.clerk}`)).body;
  assert.deepEqual(clerkHistory.items.map((i) => i.action), ['user.password', 'user.create']);
  assert.equal((await admin.get('/api/v1/audit?object_type=org')).body.total, 0);

  const now = Math.floor(Date.now() / 1000);
  assert.equal((await admin.get(`/api/v1/audit?from=${now - 3600}&to=${now + 3600}`)).body.total, 4);
  assert.equal((await admin.get(`/api/v1/audit?from=${now + 3600}`)).body.total, 0);
  assert.equal((await admin.get('/api/v1/audit?from=2020-01-01&to=2020-12-31')).body.total, 0);
  // "today" in Asia/Shanghai contains every record just written
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  assert.equal((await admin.get(`/api/v1/audit?from=${today}&to=${today}`)).body.total, 4);
  const combined = (await admin.get(`/api/v1/audit?action=user.create&actor=${ids.clerk}`)).body;
  assert.equal(combined.total, 0);
});

test('paging splits the trail without overlap', async () => {
  const p1 = (await admin.get('/api/v1/audit?per_page=3&page=1')).body;
  const p2 = (await admin.get('/api/v1/audit?per_page=3&page=2')).body;
  assert.equal(p1.per_page, 3);
  assert.equal(p2.page, 2);
  assert.deepEqual(p1.items.map((i) => i.id), [4, 3, 2]);
  assert.deepEqual(p2.items.map((i) => i.id), [1]);
  assert.equal(p2.total, 4);
  assert.deepEqual((await admin.get('/api/v1/audit?page=9')).body.items, []);
});

test('bad filters are all reported at once with 422', async () => {
  const res = await admin.get('/api/v1/audit?page=0&per_page=201&from=2026-02-30&to=yesterday&actor=abc&object_id=-5&action=' + 'x'.repeat(65));
  assert.equal(res.status, 422);
  assert.equal(res.body.code, 'validation_failed');
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['action', 'actor', 'from', 'object_id', 'page', 'per_page', 'to']);
  const reversed = await admin.get('/api/v1/audit?from=2026-03-02&to=2026-03-01');
  assert.equal(reversed.status, 422);
  assert.deepEqual(reversed.body.errors.map((e) => e.field), ['to']);
  for (const q of ['per_page=-1', 'page=99999999999999999999', 'per_page=0']) {
    assert.equal((await admin.get(`/api/v1/audit?${q}`)).status, 422, q);
  }
});

test('the command line lists the trail with filters and a limit', () => {
  const all = cli(['audit', 'list', '--limit', '2']).stdout;
  assert.match(all, /^#4 .*clerk.*user\.password/m);
  assert.match(all, /\(2 \/ 4 records\)/);
  const boss = cli(['audit', 'list', '--object-type', 'user', '--object-id', String(ids.boss)]).stdout;
  assert.match(boss, /user\.create\s+user#\d+\s+\{.*"username":"boss"/);
  assert.match(boss, /\(1 \/ 1 records\)/);
  assert.equal(srv.cli(['audit', 'list', '--limit', '0']).status, 2);
  assert.equal(srv.cli(['audit', 'list', '--help']).status, 0);
  assert.match(srv.cli(['audit', 'verify', '--help']).stdout, /--anchor/);
});

test('concurrent writers form one unbroken chain', async () => {
  const runs = Array.from({ length: 8 }, (_, i) => new Promise((resolve) => {
    const child = spawn(BIN, ['user', 'add', `para${i}`, '--name', `并发${i}`, '--role', 'resident',
      '--password', PASSWORD, '--database', srv.db.url]);
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (status) => resolve({ status, err }));
  }));
  for (const r of await Promise.all(runs)) assert.equal(r.status, 0, r.err);
  const v = (await admin.get('/api/v1/audit/verify')).body;
  assert.equal(v.ok, true, v.problem);
  assert.equal(v.records, 12);
  assert.equal((await admin.get('/api/v1/audit?action=user.create')).body.total, 11);
});
