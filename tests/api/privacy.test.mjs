// Personal data and the search index are not reachable sideways: members see only their own
// organization's people, nobody claims an unlinked person by linking them, masks never break
// on Chinese text, and words typed into a description cannot pass for filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv, admin, staff, orgadmin, member, liaison;
before(async () => {
  srv = await startServer({ demo: 30 });
  [admin, staff, orgadmin, member, liaison] = await Promise.all(
    ['admin', 'staff', 'orgadmin', 'member', 'liaison'].map((u) => srv.login(u)));
});
after(async () => { await srv.stop(); });

test('an organization member sees their own organization\'s people and no one else\'s', async () => {
  const own = member.me.member_org_ids[0];
  assert.equal((await member.get(`/api/v1/orgs/${own}/people`)).status, 200);
  const other = own === 1 ? 2 : 1;
  assert.equal((await member.get(`/api/v1/orgs/${other}/people`)).status, 403);
  const list = await member.get('/api/v1/people?per_page=100');
  assert.equal(list.status, 200);
  for (const p of list.body.items) assert.ok(p.orgs.some((o) => o.org_id === own), `person ${p.id} is of another organization`);
  const all = await staff.get('/api/v1/people?per_page=1');
  assert.ok(all.body.total > list.body.total, 'staff see the whole district');
});

test('a street liaison cannot list the whole district\'s people', async () => {
  assert.equal((await liaison.get('/api/v1/people')).status, 403);
});

test('linking an unlinked person to your organization is refused', async () => {
  const p = await staff.post('/api/v1/people', { name: '独立人士', id_number: '11010519491231002X' });
  assert.equal(p.status, 201, p.text);
  const claim = await orgadmin.post(`/api/v1/people/${p.body.id}/orgs`, { org_id: orgadmin.me.org_ids[0] });
  assert.equal(claim.status, 403);
  assert.equal((await staff.get(`/api/v1/people/${p.body.id}`)).body.orgs.length, 0);
});

test('a Chinese e-mail address is masked without breaking the list', async () => {
  const own = orgadmin.me.org_ids[0];
  const p = await orgadmin.post('/api/v1/people', { name: '测试邮件', email: '张三@example.cn', org_id: own });
  assert.equal(p.status, 201, p.text);
  const seen = await member.get(`/api/v1/people/${p.body.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.email, '张***@example.cn');
  assert.equal((await member.get(`/api/v1/orgs/${own}/people`)).status, 200);
});

test('words that look like filter tokens in a description do not fake a filter', async () => {
  const own = orgadmin.me.org_ids[0];
  const org = (await orgadmin.get(`/api/v1/orgs/${own}`)).body;
  const upd = await orgadmin.patch(`/api/v1/orgs/${own}`, { version: org.version, description: 'xqarch xqg5a xqlive 同心' });
  assert.equal(upd.status, 200, upd.text);
  const graded = await staff.get(`/api/v1/orgs?grade=5A&q=${encodeURIComponent(org.name)}&per_page=100`);
  if (org.current_grade !== '5A') assert.ok(!graded.body.items.some((o) => o.id === own));
  const archived = await staff.get(`/api/v1/orgs?archived=1&q=${encodeURIComponent(org.name)}`);
  assert.ok(!archived.body.items.some((o) => o.id === own));
  assert.equal((await staff.get('/api/v1/orgs?q=xqarch')).body.total, 0);
});

test('a long Chinese display name still signs in with a full reply', async () => {
  const name = '统'.repeat(64);
  const u = srv.cli(['user', 'add', 'longname', '--name', name, '--role', 'resident', '--password', 'Secret2026x']);
  assert.equal(u.status, 0, u.stderr);
  const c = await srv.login('longname', 'Secret2026x');
  assert.equal(c.me.display_name, name);
  assert.equal((await c.get('/api/v1/me')).body.display_name, name);
});

test('an organization administrator cannot change the department\'s registration facts', async () => {
  const own = orgadmin.me.org_ids[0];
  const org = (await orgadmin.get(`/api/v1/orgs/${own}`)).body;
  const res = await orgadmin.patch(`/api/v1/orgs/${own}`, { version: org.version, status: 'suspended', type: 'enterprise', address: '新地址 8 号' });
  assert.equal(res.status, 422, res.text);
  assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['status', 'type']);
  const after = (await orgadmin.get(`/api/v1/orgs/${own}`)).body;
  assert.equal(after.version, org.version, 'nothing changed');
  const ok = await orgadmin.patch(`/api/v1/orgs/${own}`, { version: org.version, address: '新地址 8 号', status: org.status });
  assert.equal(ok.status, 200, ok.text);
  const bystaff = await staff.patch(`/api/v1/orgs/${own}`, { version: ok.body.version, status: 'suspended' });
  assert.equal(bystaff.status, 200, bystaff.text);
});

test('an administrator\'s password reset also revokes the account\'s API tokens', async () => {
  const expert = await srv.login('expert');
  const tok = await expert.post('/api/v1/me/tokens', { name: '集成测试', role: 'expert' });
  assert.equal(tok.status, 201, tok.text);
  const bearer = srv.client();
  bearer.token = tok.body.token;
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  const reset = await admin.post(`/api/v1/users/${expert.me.id}/password`, { new_password: 'Reset2026q' });
  assert.equal(reset.status, 204, reset.text);
  assert.equal((await bearer.get('/api/v1/me')).status, 401);
});
