// Registry statistics (GET /api/v1/stats/registry) read precomputed counters: they must agree
// with what the directory list says, move with every write that changes a counted value, stay
// put when a write fails, and GET /api/v1/stats/registry/verify must find a counter that lies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, ENGINE } from './harness.mjs';

let srv, admin, staff, resident;
const STREET1 = '330602001000', STREET2 = '330602002000';

before(async () => {
  srv = await startServer({ demo: 60 });
  [admin, staff, resident] = await Promise.all(['admin', 'staff', 'resident'].map((u) => srv.login(u)));
});
after(async () => { await srv.stop(); });

/** Runs SQL on a server's database with the engine's own command-line client. */
function sql(server, text) {
  const r = ENGINE === 'postgres'
    ? spawnSync('psql', [server.db.url, '-qtAc', text], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 5000', server.db.url, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

async function stats(client = admin, opts) {
  const res = await client.get('/api/v1/stats/registry', opts);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** {type: {social_group: n, ...}, street: {...}, ...} for comparing before and after. */
function flat(s) {
  const out = { total: s.total };
  for (const part of ['type', 'street', 'grade', 'status', 'field']) {
    out[part] = Object.fromEntries(s[`by_${part}`].map((e) => [e.key, e.n]));
  }
  out.month = Object.fromEntries(s.by_month.map((e) => [e.month, e.n]));
  return out;
}

/** The current month in the district's calendar (UTC+8). */
function thisMonth() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
}

async function listTotal(query) {
  const res = await admin.get(`/api/v1/orgs?${query}&per_page=1`);
  assert.equal(res.status, 200, res.text);
  return res.body.total;
}

async function verify() {
  const res = await admin.get('/api/v1/stats/registry/verify');
  assert.equal(res.status, 200, res.text);
  return res.body;
}

async function createOrg(extra = {}) {
  const res = await staff.post('/api/v1/orgs', {
    name: '统计测试组织', type: 'social_group', street_code: STREET1, fields: ['health', 'law'], ...extra,
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test('after the demo every count equals the directory list total for the same filter', async () => {
  const s = await stats(resident); // any signed-in user
  assert.equal(s.total, 60);
  assert.equal(s.total, await listTotal('sort=created'));
  const params = { type: 'type', street: 'street', grade: 'grade', status: 'status', field: 'field' };
  for (const [part, param] of Object.entries(params)) {
    for (const e of s[`by_${part}`]) {
      if (part === 'grade' && e.key === '') continue; // the list has no "ungraded" filter
      assert.equal(e.n, await listTotal(`${param}=${e.key}`), `${part} ${e.key}`);
    }
  }
  const sum = (part) => s[`by_${part}`].reduce((a, e) => a + e.n, 0);
  for (const part of ['type', 'street', 'grade', 'status']) assert.equal(sum(part), s.total, part);
  assert.ok(s.by_type.some((e) => e.n > 0) && s.by_street.some((e) => e.n > 0));
  assert.ok(s.by_grade.some((e) => e.key !== '' && e.n > 0), 'the demo grades some organizations');
});

test('codes come with labels in the caller\'s language, streets with names, 24 months', async () => {
  const zh = await stats(resident);
  const en = await stats(resident, { lang: 'en' });
  const byKey = (list, key) => list.find((e) => e.key === key);
  assert.equal(byKey(zh.by_type, 'foundation').label, '基金会');
  assert.equal(byKey(en.by_type, 'foundation').label, 'Foundation');
  assert.equal(byKey(en.by_status, 'suspended').label, 'Suspended');
  assert.equal(byKey(en.by_field, 'health').label, 'Health');
  assert.equal(byKey(zh.by_grade, '').label, '未评级');
  assert.equal(byKey(en.by_grade, '').label, 'Ungraded');
  assert.deepEqual(zh.by_grade.map((e) => e.key), ['5A', '4A', '3A', '2A', '1A', '']);
  assert.equal(zh.by_type.length, 10, 'every type, zeros included');
  assert.equal(zh.by_field.length, 14);
  const divisions = (await resident.get('/api/v1/divisions')).body.streets;
  assert.deepEqual(zh.by_street.map((e) => [e.key, e.name]), divisions.map((d) => [d.code, d.name]));
  assert.equal(zh.by_month.length, 24);
  assert.equal(zh.by_month[23].month, thisMonth());
  assert.ok(zh.by_month.every((e, i) => i === 0 || e.month > zh.by_month[i - 1].month), 'oldest first');
  // the demo spreads registrations over three years: the last 24 months hold some of them,
  // and no month holds more than were registered in all
  const inWindow = zh.by_month.reduce((a, e) => a + e.n, 0);
  assert.ok(inWindow > 0 && inWindow <= zh.total, `${inWindow} of ${zh.total} in the last 24 months`);
  assert.ok(zh.by_month.filter((e) => e.n > 0).length >= 10, 'spread over many months');
});

test('creating, changing type and fields, archiving, restoring and grading move the right counters', async () => {
  let was = flat(await stats());
  const org = await createOrg();
  let now = flat(await stats());
  assert.equal(now.total, was.total + 1);
  assert.equal(now.type.social_group, was.type.social_group + 1);
  assert.equal(now.street[STREET1], was.street[STREET1] + 1);
  assert.equal(now.grade[''], was.grade[''] + 1);
  assert.equal(now.status.active, was.status.active + 1);
  assert.equal(now.field.health, was.field.health + 1);
  assert.equal(now.field.law, was.field.law + 1);
  assert.equal(now.month[thisMonth()], was.month[thisMonth()] + 1);

  was = now;
  let res = await staff.patch(`/api/v1/orgs/${org.id}`, {
    version: org.version, type: 'foundation', street_code: STREET2, fields: ['law', 'culture'], status: 'suspended',
  });
  assert.equal(res.status, 200, res.text);
  now = flat(await stats());
  assert.equal(now.total, was.total);
  assert.equal(now.type.social_group, was.type.social_group - 1);
  assert.equal(now.type.foundation, was.type.foundation + 1);
  assert.equal(now.street[STREET1], was.street[STREET1] - 1);
  assert.equal(now.street[STREET2], was.street[STREET2] + 1);
  assert.equal(now.field.health, was.field.health - 1);
  assert.equal(now.field.law, was.field.law, 'a field kept is not counted twice');
  assert.equal(now.field.culture, was.field.culture + 1);
  assert.equal(now.status.active, was.status.active - 1);
  assert.equal(now.status.suspended, was.status.suspended + 1);

  was = now;
  res = await staff.patch(`/api/v1/orgs/${org.id}`, { version: res.body.version, name: '统计测试组织（更名）' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(flat(await stats()), was, 'a change of an uncounted field moves nothing');

  res = await staff.post(`/api/v1/orgs/${org.id}/archive`, { version: res.body.version });
  assert.equal(res.status, 200, res.text);
  now = flat(await stats());
  assert.equal(now.total, was.total - 1);
  assert.equal(now.type.foundation, was.type.foundation - 1);
  assert.equal(now.street[STREET2], was.street[STREET2] - 1);
  assert.equal(now.status.suspended, was.status.suspended - 1);
  assert.equal(now.field.law, was.field.law - 1);
  assert.equal(now.grade[''], was.grade[''] - 1);
  assert.equal(now.month[thisMonth()], was.month[thisMonth()] - 1);

  res = await staff.post(`/api/v1/orgs/${org.id}/restore`, { version: res.body.version });
  assert.equal(res.status, 200, res.text);
  now = flat(await stats());
  assert.equal(now.total, was.total);
  assert.equal(now.type.foundation, was.type.foundation);
  assert.equal(now.status.suspended, was.status.suspended - 1, 'restored as active');
  assert.equal(now.status.active, was.status.active + 1);

  was = now;
  // announced last year: valid from 1 January of this one, so it counts today
  const year = Number(thisMonth().slice(0, 4)) - 1;
  res = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '4A', announced_on: `${year}-01-05` });
  assert.equal(res.status, 201, res.text);
  now = flat(await stats());
  assert.equal(now.grade['4A'], was.grade['4A'] + 1);
  assert.equal(now.grade[''], was.grade[''] - 1);
  assert.equal(now.total, was.total);
  res = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '5A', announced_on: `${year}-01-06` });
  assert.equal(res.status, 201, res.text);
  const later = flat(await stats());
  assert.equal(later.grade['4A'], now.grade['4A'] - 1, 'a newer grade replaces the current one');
  assert.equal(later.grade['5A'], now.grade['5A'] + 1);
  assert.equal(later.grade[''], now.grade['']);
  assert.equal(await listTotal('grade=5A'), later.grade['5A']);
});

test('a stale update, a validation failure or a refused write changes no counter', async () => {
  const org = await createOrg({ type: 'academic' });
  const ok = await staff.patch(`/api/v1/orgs/${org.id}`, { version: org.version, short_name: '统计' });
  assert.equal(ok.status, 200, ok.text);
  const was = await stats();

  let res = await staff.patch(`/api/v1/orgs/${org.id}`, { version: org.version, type: 'foundation', fields: [] });
  assert.equal(res.status, 409, res.text);
  res = await staff.patch(`/api/v1/orgs/${org.id}`, { version: ok.body.version, type: 'foundation', contact_phone: 'x' });
  assert.equal(res.status, 422, res.text);
  res = await staff.post('/api/v1/orgs', { name: '', type: 'foundation', street_code: STREET1 });
  assert.equal(res.status, 422, res.text);
  res = await staff.post(`/api/v1/orgs/${org.id}/archive`, { version: org.version });
  assert.equal(res.status, 409, res.text);
  res = await staff.post(`/api/v1/orgs/${org.id}/restore`, { version: ok.body.version });
  assert.equal(res.status, 409, res.text, 'not archived');
  res = await resident.post(`/api/v1/orgs/${org.id}/grades`, { grade: '3A', announced_on: '2025-03-01' });
  assert.equal(res.status, 403, res.text);
  res = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '6A', announced_on: '2025-03-01' }, { invalid: true });
  assert.equal(res.status, 422, res.text);

  assert.deepEqual(await stats(), was);
  assert.equal((await verify()).consistent, true);
});

test('verify: consistent after a mix of writes, finds a tampered counter, admins only', async () => {
  const a = await createOrg({ type: 'enterprise', fields: ['business'] });
  const b = await createOrg({ type: 'other', fields: [] });
  let res = await staff.patch(`/api/v1/orgs/${a.id}`, { version: a.version, fields: null, type: 'institution' });
  assert.equal(res.status, 200, res.text);
  res = await staff.post(`/api/v1/orgs/${b.id}/archive`, { version: b.version });
  assert.equal(res.status, 200, res.text);
  res = await staff.post(`/api/v1/orgs/${a.id}/grades`, { grade: '2A', announced_on: '2025-06-01' });
  assert.equal(res.status, 201, res.text);

  const good = await verify();
  assert.deepEqual(good.differences, []);
  assert.equal(good.consistent, true);
  assert.ok(good.checked > 30, `checked ${good.checked}`);

  sql(srv, "UPDATE org_counter SET n = n + 3 WHERE dimension = 'type' AND key = 'institution' AND archived = 0");
  try {
    const bad = await verify();
    assert.equal(bad.consistent, false);
    assert.equal(bad.differences.length, 1);
    const [d] = bad.differences;
    assert.deepEqual({ ...d, expected: undefined, counted: undefined },
      { dimension: 'type', key: 'institution', archived: 0, expected: undefined, counted: undefined });
    assert.equal(d.counted, d.expected + 3);
    assert.equal(d.expected, await listTotal('type=institution'));
  } finally {
    sql(srv, "UPDATE org_counter SET n = n - 3 WHERE dimension = 'type' AND key = 'institution' AND archived = 0");
  }
  assert.equal((await verify()).consistent, true);

  // repair: a lying counter and a lost one are recounted, in one audited transaction
  const good0 = flat(await stats());
  sql(srv, "UPDATE org_counter SET n = n + 5 WHERE dimension = 'street' AND key = '330602001000' AND archived = 0");
  sql(srv, "DELETE FROM org_counter WHERE dimension = 'field' AND key = 'health' AND archived = 0");
  assert.equal((await verify()).differences.length, 2);
  const fixed = await admin.post('/api/v1/stats/registry/repair');
  assert.equal(fixed.status, 200, fixed.text);
  assert.equal(fixed.body.repaired, true);
  assert.equal(fixed.body.differences.length, 2);
  assert.equal((await verify()).consistent, true);
  assert.deepEqual(flat(await stats()), good0);
  const record = (await admin.get('/api/v1/audit?action=stats.repair')).body.items[0];
  assert.equal(record.after.differences.length, 2);
  const again = await admin.post('/api/v1/stats/registry/repair');
  assert.equal(again.body.repaired, false);
  assert.equal((await admin.get('/api/v1/audit?action=stats.repair')).body.total, 1, 'nothing to repair, nothing recorded');
  assert.equal((await staff.post('/api/v1/stats/registry/repair')).status, 403);

  for (const who of [staff, resident]) {
    assert.equal((await who.get('/api/v1/stats/registry/verify')).status, 403);
  }
  assert.equal((await srv.client().get('/api/v1/stats/registry')).status, 401);
});

test('a lapsed grade: the daily task recomputes the current grade, counters and search, audited', async () => {
  const org = await createOrg();
  let res = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '3A', announced_on: '2023-04-01' });
  assert.equal(res.status, 201, res.text);
  res = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '5A', announced_on: '2025-04-01' });
  assert.equal(res.status, 201, res.text);
  assert.equal((await admin.get(`/api/v1/orgs/${org.id}`)).body.current_grade, '5A');
  const before = flat(await stats());
  const with5A = await listTotal('grade=5A');

  // time passes: the 5A's validity ended yesterday (the 3A is still valid until 2028)
  const id = org.id;
  srv.sql(`UPDATE org_grade SET valid_to = '2020-12-31' WHERE org_id = ${id} AND grade = '5A'`);
  const run = srv.cli(['tasks', 'run', 'registry.grades']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /registry\.grades: [1-9]/);

  const now = (await admin.get(`/api/v1/orgs/${org.id}`)).body;
  assert.equal(now.current_grade, '3A');
  const after = flat(await stats());
  assert.equal(after.grade['5A'], before.grade['5A'] - 1);
  assert.equal(after.grade['3A'], before.grade['3A'] + 1);
  assert.equal(await listTotal('grade=5A'), with5A - 1);
  assert.equal((await verify()).consistent, true);
  const trail = (await admin.get(`/api/v1/audit?object_type=org&object_id=${org.id}`)).body.items;
  const lapse = trail.find((r) => r.action === 'org.grade_lapsed');
  assert.ok(lapse, JSON.stringify(trail.map((r) => r.action)));
  assert.deepEqual([lapse.before.current_grade, lapse.after.current_grade], ['5A', '3A']);

  // a second run finds nothing more to do
  assert.match(srv.cli(['tasks', 'run', 'registry.grades']).stdout, /registry\.grades: 0/);
});

test('the migration counts the organizations an existing database already has', async () => {
  const old = await startServer({ demo: 25 });
  try {
    const want = await stats(await old.login('admin'));
    // back to the schema before 0007, with its organizations, then upgrade as `init` does
    sql(old, 'DROP TABLE org_counter; DELETE FROM schema_migrations WHERE version = 7');
    assert.equal(sql(old, 'SELECT COUNT(*) FROM org'), '25');
    const r = old.cli(['init']);
    assert.equal(r.status, 0, r.stderr);
    const client = await old.login('admin');
    assert.deepEqual(await stats(client), want);
    assert.equal((await client.get('/api/v1/stats/registry/verify')).body.consistent, true);
  } finally {
    await old.stop();
  }
});
