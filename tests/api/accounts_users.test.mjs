// User administration by system administrators, on the web and from the shell.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv;
let admin;
const PASSWORD = 'Secret2026x';
const STREET = '110105001000';
before(async () => {
  srv = await startServer();
  const users = [
    ['boss', 'admin', '主任'], ['clerk', 'staff', '李干事'], ['watcher', 'supervisor', '监督员'],
    ['zhang', 'liaison', '张联络'], ['quitter', 'staff', '要停用的'], ['mover', 'staff', '换角色'],
  ];
  for (const [name, roles, display] of users) {
    const r = srv.cli(['user', 'add', name, '--name', display, '--role', roles, '--password', PASSWORD, '--phone', '13812345678']);
    assert.equal(r.status, 0, r.stderr);
  }
  admin = await srv.login('boss', PASSWORD);
});
after(async () => { await srv.stop(); });

const idOf = async (username) => (await admin.get(`/api/v1/users?q=${username}`)).body.items.find((u) => u.username === username).id;

test('the list filters by name, role and status, pages, and masks phones; the detail shows them', async () => {
  const all = await admin.get('/api/v1/users');
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 6);
  assert.deepEqual(all.body.items.map((u) => u.username), ['boss', 'clerk', 'mover', 'quitter', 'watcher', 'zhang']);
  assert.equal(all.body.items[0].phone, '138****5678');
  assert.deepEqual(all.body.items[0].roles, [{ role: 'admin', org_id: 0 }]);
  const byName = await admin.get(`/api/v1/users?q=${encodeURIComponent('联络')}`);
  assert.deepEqual(byName.body.items.map((u) => u.username), ['zhang']);
  assert.deepEqual((await admin.get('/api/v1/users?q=CLE')).body.items.map((u) => u.username), ['clerk']);
  assert.equal((await admin.get('/api/v1/users?q=%25')).body.total, 0, '% is a literal character');
  const staff = await admin.get('/api/v1/users?role=staff');
  assert.deepEqual(staff.body.items.map((u) => u.username), ['clerk', 'mover', 'quitter']);
  const page = await admin.get('/api/v1/users?per_page=2&page=2');
  assert.deepEqual(page.body.items.map((u) => u.username), ['mover', 'quitter']);
  assert.equal(page.body.total, 6);
  const bad = await admin.get('/api/v1/users?role=king&status=gone&per_page=0');
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors.map((e) => e.field).sort(), ['per_page', 'role', 'status']);
  const detail = await admin.get(`/api/v1/users/${all.body.items[1].id}`);
  assert.equal(detail.body.phone, '13812345678');
  assert.deepEqual(detail.body.tokens, []);
  assert.equal((await admin.get('/api/v1/users/999999')).status, 404);
});

test('creating a user reports every bad field at once', async () => {
  const res = await admin.post('/api/v1/users', {
    username: 'X', display_name: '', password: 'short', email: 'not-mail', phone: 'abc',
    jurisdiction: '123', roles: [{ role: 'king' }, { role: 'org_admin' }],
  }, { invalid: true });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(),
    ['display_name', 'email', 'jurisdiction', 'password', 'phone', 'roles[0].role', 'roles[1].org_id', 'username']);
  const none = await admin.post('/api/v1/users', { username: 'norole', display_name: '无角色', password: PASSWORD }, { invalid: true });
  assert.deepEqual(none.body.errors.map((e) => e.field), ['roles']);
  assert.equal((await admin.get('/api/v1/users')).body.total, 6, 'nothing created');
});

test('a created user can sign in with the roles given; a taken name is 409', async () => {
  const res = await admin.post('/api/v1/users', {
    username: 'newbie', display_name: '新人', password: PASSWORD, jurisdiction: STREET,
    roles: [{ role: 'staff' }, 'liaison', { role: 'staff' }],
  });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.jurisdiction, STREET);
  assert.deepEqual(res.body.roles.map((r) => r.role), ['liaison', 'staff']);
  const c = await srv.login('newbie', PASSWORD);
  assert.deepEqual(c.me.roles.sort(), ['liaison', 'staff']);
  assert.equal(c.me.jurisdiction, STREET);
  const again = await admin.post('/api/v1/users', { username: 'newbie', display_name: '重复', password: PASSWORD, roles: ['staff'] });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'duplicate');
});

test('a change with a stale version is refused and changes nothing', async () => {
  const id = await idOf('clerk');
  const u = (await admin.get(`/api/v1/users/${id}`)).body;
  const first = await admin.patch(`/api/v1/users/${id}`, { version: u.version, display_name: '李科长', email: 'li@example.cn' });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.display_name, '李科长');
  assert.equal(first.body.version, u.version + 1);
  const stale = await admin.patch(`/api/v1/users/${id}`, { version: u.version, display_name: '旧页面' });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.code, 'stale_version');
  assert.equal((await admin.get(`/api/v1/users/${id}`)).body.display_name, '李科长');
  const cleared = await admin.patch(`/api/v1/users/${id}`, { version: first.body.version, email: null, phone: '' });
  assert.equal(cleared.body.email, null);
  assert.equal(cleared.body.phone, null);
});

test('a change reports every bad field at once', async () => {
  const id = await idOf('clerk');
  const res = await admin.patch(`/api/v1/users/${id}`, {
    display_name: '', email: 'x', phone: 'y', status: 'gone', jurisdiction: '1', roles: [{ role: 'nope' }], colour: 'red',
  }, { invalid: true });
  assert.equal(res.status, 422);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(),
    ['colour', 'display_name', 'email', 'jurisdiction', 'phone', 'roles[0].role', 'status', 'version']);
});

test('only administrators reach user administration', async () => {
  const id = await idOf('clerk');
  for (const who of ['clerk', 'watcher']) {
    const c = await srv.login(who, PASSWORD);
    assert.equal((await c.get('/api/v1/users')).status, 403, who);
    assert.equal((await c.get(`/api/v1/users/${id}`)).status, 403, who);
    assert.equal((await c.patch(`/api/v1/users/${id}`, { version: 1, display_name: 'x' })).status, 403, who);
    assert.equal((await c.post('/api/v1/users', { username: 'sneaky', display_name: 'x', password: PASSWORD, roles: ['admin'] })).status, 403, who);
  }
  assert.equal((await srv.client().get('/api/v1/users')).status, 401);
});

test('changed roles and jurisdiction apply to the next request of an open session', async () => {
  const c = await srv.login('mover', PASSWORD);
  const id = c.me.id;
  const u = (await admin.get(`/api/v1/users/${id}`)).body;
  const res = await admin.patch(`/api/v1/users/${id}`, { version: u.version, roles: [{ role: 'supervisor' }], jurisdiction: STREET });
  assert.equal(res.status, 200, res.text);
  const me = (await c.get('/api/v1/me')).body;
  assert.deepEqual(me.roles, ['supervisor']);
  assert.equal(me.jurisdiction, STREET);
});

test('a disabled user loses their sessions and cannot sign in until enabled again', async () => {
  const c = await srv.login('quitter', PASSWORD);
  const id = c.me.id;
  let u = (await admin.get(`/api/v1/users/${id}`)).body;
  const res = await admin.patch(`/api/v1/users/${id}`, { version: u.version, status: 'disabled' });
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'disabled');
  assert.equal((await c.get('/api/v1/me')).status, 401);
  const refused = await srv.client().post('/api/v1/session', { username: 'quitter', password: PASSWORD });
  assert.equal(refused.status, 401);
  assert.equal(refused.body.code, 'invalid_credentials');
  assert.deepEqual((await admin.get('/api/v1/users?status=disabled')).body.items.map((x) => x.username), ['quitter']);
  u = (await admin.get(`/api/v1/users/${id}`)).body;
  assert.equal((await admin.patch(`/api/v1/users/${id}`, { version: u.version, status: 'active' })).status, 200);
  await srv.login('quitter', PASSWORD);
});

test('the last active administrator can be neither disabled nor demoted', async () => {
  const id = admin.me.id;
  const u = (await admin.get(`/api/v1/users/${id}`)).body;
  const off = await admin.patch(`/api/v1/users/${id}`, { version: u.version, status: 'disabled' });
  assert.equal(off.status, 409);
  assert.equal(off.body.code, 'conflict');
  const demote = await admin.patch(`/api/v1/users/${id}`, { version: u.version, roles: ['staff'] });
  assert.equal(demote.status, 409);
  const still = await admin.get(`/api/v1/users/${id}`);
  assert.equal(still.status, 200, 'still an active administrator');
  assert.equal(still.body.version, u.version);
});

test('the CLI sets roles and street, and disables and enables accounts', async () => {
  const bad = srv.cli(['user', 'roles', 'zhang', '--set', 'liaison', '--street', '12']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /jurisdiction:/);
  assert.equal(srv.cli(['user', 'roles', 'zhang', '--set', 'king']).status, 2);
  assert.equal(srv.cli(['user', 'roles', 'nobody', '--set', 'staff']).status, 1);
  const ok = srv.cli(['user', 'roles', 'zhang', '--set', 'staff,liaison', '--street', STREET]);
  assert.equal(ok.status, 0, ok.stderr);
  const c = await srv.login('zhang', PASSWORD);
  assert.deepEqual(c.me.roles.sort(), ['liaison', 'staff']);
  assert.equal(c.me.jurisdiction, STREET);
  assert.equal(srv.cli(['user', 'disable', 'zhang']).status, 0);
  assert.equal((await c.get('/api/v1/me')).status, 401);
  assert.match(srv.cli(['user', 'list']).stdout, /zhang\s+disabled/);
  assert.equal(srv.cli(['user', 'enable', 'zhang']).status, 0);
  await srv.login('zhang', PASSWORD);
  const help = srv.cli(['user', '--help']);
  for (const word of ['add', 'list', 'passwd', 'roles', 'disable', 'enable', '--set', '--street', '--org']) assert.ok(help.stdout.includes(word), word);
});
