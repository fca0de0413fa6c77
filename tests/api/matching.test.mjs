// The matching engine wired to the lists: suggestions with every part's reason in zh and en,
// visibility and hard conditions, weights (validated, versioned, audited), and a global
// allocation run whose total networkx re-derives from the run's own edges. Both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer } from './harness.mjs';

let srv, admin, staff, orgadmin, member, resident, ownOrg, otherOrg, needId;
const ids = {};

before(async () => {
  srv = await startServer({ demo: 30 });
  [admin, staff, orgadmin, member, resident] = await Promise.all(
    ['admin', 'staff', 'orgadmin', 'member', 'resident'].map((u) => srv.login(u)));
  const orgs = (await admin.get('/api/v1/orgs?per_page=100&sort=created')).body.items;
  ownOrg = orgs[0].id;
  otherOrg = orgs.find((o) => o.id !== ownOrg).id;
  const post = async (kind, body) => {
    const r = await staff.post(`/api/v1/${kind}`, { category: 'volunteers', unit: 'people', quantity: 6, fields: ['social_service'], ...body });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  needId = (await orgadmin.post('/api/v1/needs', { org_id: ownOrg, title: '社区助餐志愿者招募', description: '为社区老人助餐送餐的志愿者', category: 'volunteers', quantity: 5, unit: 'people', fields: ['social_service'] })).body.id;
  ids.good = await post('resources', { org_id: otherOrg, title: '助餐志愿者服务队', description: '长期为社区老人助餐送餐' });
  ids.staffOnly = await post('resources', { org_id: otherOrg, title: '助餐志愿者（内部）', description: '社区老人助餐', visibility: 'staff' });
  ids.self = await post('resources', { org_id: ownOrg, title: '本组织助餐志愿者', description: '社区老人助餐送餐' });
  ids.unit = await post('resources', { org_id: otherOrg, title: '助餐志愿服务时长', description: '社区老人助餐送餐', unit: 'hours', quantity: 40 });
  ids.grade = await post('resources', { org_id: otherOrg, title: '助餐志愿者（限5A组织）', description: '社区老人助餐送餐', min_grade: '5A' });
});
after(async () => { await srv.stop(); });

const suggested = (res) => res.body.suggestions.map((s) => s.id);

test('suggestions for a need: ordered by score, every part with its contribution and reason, in zh and en', async () => {
  const zh = await orgadmin.get(`/api/v1/needs/${needId}/suggestions?k=20`);
  assert.equal(zh.status, 200, zh.text);
  const list = zh.body.suggestions;
  assert.ok(list.length >= 1);
  assert.equal(list[0].id, ids.good, 'the best fitting resource comes first');
  for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].score.total >= list[i].score.total, 'best first');
  const s = list[0].score;
  assert.equal(s.parts.length, 7);
  const sum = s.parts.reduce((a, p) => a + p.contribution, 0);
  assert.ok(Math.abs(sum * s.fairness - s.total) < 1e-9, 'total = fairness × Σ contributions');
  assert.match(s.parts.find((p) => p.part === 'fields').reason, /领域重合/);
  const en = await orgadmin.get(`/api/v1/needs/${needId}/suggestions?k=20`, { lang: 'en' });
  assert.match(en.body.suggestions[0].score.parts.find((p) => p.part === 'fields').reason, /Field overlap/);
});

test('hard conditions exclude: own organization, another unit, a minimum grade', async () => {
  const got = suggested(await staff.get(`/api/v1/needs/${needId}/suggestions?k=50`));
  assert.ok(got.includes(ids.good));
  for (const k of ['self', 'unit']) assert.ok(!got.includes(ids[k]), `${k} excluded`);
  const org = (await admin.get(`/api/v1/orgs/${ownOrg}`)).body;
  if (org.current_grade !== '5A') assert.ok(!got.includes(ids.grade), 'grade excluded');
});

test('visibility: an organization never sees staff-only items among its suggestions; staff do', async () => {
  assert.ok(!suggested(await orgadmin.get(`/api/v1/needs/${needId}/suggestions?k=50`)).includes(ids.staffOnly));
  assert.ok(suggested(await staff.get(`/api/v1/needs/${needId}/suggestions?k=50`)).includes(ids.staffOnly));
});

test('suggestions for a resource list needs; other organizations and residents are refused', async () => {
  const r = await staff.get(`/api/v1/resources/${ids.good}/suggestions`);
  assert.equal(r.status, 200, r.text);
  assert.ok(suggested(r).includes(needId));
  assert.equal((await orgadmin.get(`/api/v1/resources/${ids.good}/suggestions`)).status, 403);
  assert.equal((await resident.get(`/api/v1/needs/${needId}/suggestions`)).status, 403);
  assert.equal((await staff.get(`/api/v1/needs/999999/suggestions`)).status, 404);
  assert.equal((await staff.get(`/api/v1/needs/${needId}/suggestions?k=0`)).status, 422);
});

test('weights: validated (0..1, one above 0, no unknown field), versioned, audited; staff only', async () => {
  const cur = await staff.get('/api/v1/matching/weights');
  assert.equal(cur.status, 200);
  const w = { ...cur.body.weights };
  delete w.fairness_k;
  const bad = [[{ ...w, text: 1.5 }, 'text'], [{ ...w, trust: -0.1 }, 'trust'],
    [Object.fromEntries(Object.keys(w).map((k) => [k, 0])), 'category'], [{ ...w, colour: 1 }, 'colour'],
    [{ ...w, fields: 'high' }, 'fields']];
  for (const [body, field] of bad) {
    const r = await staff.put('/api/v1/matching/weights', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.ok(r.body.errors.some((f) => f.field === field), r.text);
  }
  const ok = await staff.put('/api/v1/matching/weights', { ...w, text: 0.9 });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.version, cur.body.version + 1);
  assert.equal(ok.body.weights.text, 0.9);
  const audit = (await admin.get('/api/v1/audit?per_page=5')).body.items;
  assert.ok(audit.some((a) => a.action === 'matching.weights'));
  assert.equal((await orgadmin.put('/api/v1/matching/weights', w)).status, 403);
  const r = await staff.get(`/api/v1/needs/${needId}/suggestions`);
  assert.equal(r.body.weights_version, ok.body.version);
  assert.equal(r.body.suggestions[0].score.parts.find((p) => p.part === 'text').weight, 0.9);
});

test('a global allocation run: stored, listed, and its total is networkx\'s optimum on its own edges', async () => {
  const r = await staff.post('/api/v1/matching/runs', { k: 5 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'done');
  assert.ok(r.body.edges.length > 0);
  assert.ok(r.body.allocation.length > 0);
  const got = await staff.get(`/api/v1/matching/runs/${r.body.id}`);
  assert.equal(got.status, 200);
  const check = spawnSync('python3', ['tests/matching/check_run.py'], { input: got.text, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.equal(JSON.parse(check.stdout).networkx, r.body.total_score);
  const list = await staff.get('/api/v1/matching/runs');
  assert.equal(list.body.items[0].id, r.body.id);
  const one = await staff.post('/api/v1/matching/runs', { k: 3, categories: ['volunteers'] });
  assert.equal(one.status, 201, one.text);
  assert.ok(one.body.edges.length <= r.body.edges.length);
  for (const [body, field] of [[{ k: 0 }, 'k'], [{ categories: ['spaceships'] }, 'categories'], [{ streets: ['12'] }, 'streets'], [{ colour: 1 }, 'colour']])
    assert.equal((await staff.post('/api/v1/matching/runs', body)).status, 422, field);
  assert.equal((await orgadmin.post('/api/v1/matching/runs', {})).status, 403);
  assert.equal((await orgadmin.get('/api/v1/matching/runs')).status, 403);
});
