// Linking a talent entry to the expert's own account (so that they accept dockings themselves):
// the account lookup for the talent form (staff and administrators only; id, username and name,
// nothing personal; at most 20, experts first; search by username or name), and the linked
// account shown on the entry to those who may edit it. Both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from './harness.mjs';

let srv, admin, staff, liaison, orgadmin, member, expert, supervisor;

before(async () => {
  srv = await startServer({ demo: 10 });
  for (const [u, name, role] of [['lin_expert', '檀晓专家', 'expert'], ['lin_clerk', '檀文书', 'resident'], ['pct_user', '百分_号', 'resident']]) {
    const r = srv.cli(['user', 'add', u, '--name', name, '--role', role, '--password', DEMO_PASSWORD, '--email', `${u}@example.org`]);
    assert.equal(r.status, 0, r.stderr);
  }
  [admin, staff, liaison, orgadmin, member, expert, supervisor] = await Promise.all(
    ['admin', 'staff', 'liaison', 'orgadmin', 'member', 'expert', 'supervisor'].map((u) => srv.login(u)));
});
after(async () => { await srv.stop(); });

const options = (client, q) => client.get('/api/v1/talents/user-options' + (q === undefined ? '' : '?q=' + encodeURIComponent(q)));

test('staff and administrators may look accounts up; no one else', async () => {
  assert.equal((await options(staff, '檀')).status, 200);
  assert.equal((await options(admin, '檀')).status, 200);
  for (const c of [liaison, orgadmin, member, expert, supervisor])
    assert.equal((await options(c, '檀')).status, 403, c.me && c.me.username);
});

test('search by username or name, experts first, only id, username, name and the linked entry', async () => {
  const byName = (await options(staff, '檀')).body.items;
  assert.deepEqual(byName.map((u) => u.username), ['lin_expert', 'lin_clerk'], 'the expert first');
  for (const u of byName) assert.deepEqual(Object.keys(u).sort(), ['display_name', 'expert', 'id', 'talent_id', 'username']);
  assert.equal(byName[0].expert, true);
  assert.equal(byName[1].expert, false);
  const text = JSON.stringify((await options(staff)).body);
  assert.ok(!/@|example\.org|password|phone|email|roles/.test(text), 'nothing personal leaks');
  assert.deepEqual((await options(staff, 'LIN_EXP')).body.items.map((u) => u.username), ['lin_expert'], 'username, case-insensitive');
  assert.deepEqual((await options(staff, '晓专')).body.items.map((u) => u.display_name), ['檀晓专家'], 'part of the name');
  assert.deepEqual((await options(staff, '_')).body.items.map((u) => u.username).sort(), ['lin_clerk', 'lin_expert', 'pct_user'], '_ is a character, not a wildcard');
  assert.deepEqual((await options(staff, '%')).body.items, [], '% is a character, not a wildcard');
  assert.deepEqual((await options(staff, '没有这个人')).body.items, []);
  assert.ok((await options(staff)).body.items.length <= 20, 'at most 20');
  assert.ok((await options(staff, '')).body.items.length > 0, 'blank: any');
  assert.equal((await options(staff, 'x'.repeat(101))).status, 422);
  // the demo expert already has an entry (孙教授): the option says which
  const demo = (await options(staff, 'expert')).body.items.find((u) => u.username === 'expert');
  assert.ok(demo.talent_id, 'the demo expert is linked');
  assert.equal((await staff.get(`/api/v1/talents/${demo.talent_id}`)).body.user_id, demo.id);
  assert.equal(srv.cli(['user', 'add', 'gone', '--name', '檀已停用', '--role', 'expert', '--password', DEMO_PASSWORD]).status, 0);
  const gone = (await admin.get('/api/v1/users?per_page=100&q=gone')).body.items.find((u) => u.username === 'gone');
  assert.ok((await options(staff, '檀')).body.items.some((u) => u.username === 'gone'));
  const off = await admin.patch(`/api/v1/users/${gone.id}`, { version: gone.version, status: 'disabled' });
  assert.equal(off.status, 200, off.text);
  assert.ok(!(await options(staff, '檀')).body.items.some((u) => u.username === 'gone'), 'disabled accounts are not offered');
});

test('an entry linked to an account shows it to those who may edit; the expert then edits it', async () => {
  const lin = (await options(staff, 'lin_expert')).body.items[0];
  const made = await staff.post('/api/v1/talents', { name: '檀晓', kind: 'expert', user_id: lin.id, skills: ['社区营造'], fields: ['social_service'] });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual(made.body.user, { id: lin.id, username: 'lin_expert', display_name: '檀晓专家' });
  assert.equal((await options(staff, 'lin_expert')).body.items[0].talent_id, made.body.id);
  assert.equal((await member.get(`/api/v1/talents/${made.body.id}`)).body.user, undefined, 'others see no account');
  const own = await srv.login('lin_expert');
  const mine = (await own.get(`/api/v1/talents/${made.body.id}`)).body;
  assert.equal(mine.can_edit, true);
  assert.equal(mine.user.username, 'lin_expert');
  const unlinked = await staff.patch(`/api/v1/talents/${made.body.id}`, { version: made.body.version, user_id: null });
  assert.equal(unlinked.status, 200, unlinked.text);
  assert.equal(unlinked.body.user, undefined);
  assert.equal(unlinked.body.user_id, null);
});
