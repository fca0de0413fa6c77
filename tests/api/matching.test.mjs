// The matching engine wired to the lists: suggestions with every part's reason in zh and en,
// visibility and hard conditions, writes seen at once, live dockings marked, weights (validated,
// versioned, audited), and global allocation runs as background jobs: queued (202), computed by
// the server's task, one at a time (409), re-queued once after a crash, and re-checked by networkx
// from the paged edges the API returns. Both engines.
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
    const r = await staff.put('/api/v1/matching/weights', body, { invalid: true });
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls a run until it is done or failed (the server's task computes it in the background). */
async function finished(id) {
  for (let i = 0; i < 300; i++) {
    const r = await staff.get(`/api/v1/matching/runs/${id}`);
    assert.equal(r.status, 200, r.text);
    if (r.body.status === 'done' || r.body.status === 'failed') return r.body;
    await sleep(100);
  }
  throw new Error(`run ${id} did not finish`);
}

/** Every page of a run's edges (allocated = 1: the allocation only). */
async function allEdges(id, allocated = 0) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await staff.get(`/api/v1/matching/runs/${id}/edges?per_page=100&page=${page}&allocated=${allocated}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.body.items);
    if (out.length >= r.body.total || !r.body.items.length) return out;
  }
}

const recheck = (run, edges) => spawnSync('python3', ['tests/matching/check_run.py'],
  { input: JSON.stringify({ total_score: run.total_score, edges }), encoding: 'utf8' });

const auditTotal = async () => (await admin.get('/api/v1/audit?per_page=1')).body.total;

test('a global allocation run is queued (202), computed in the background, and networkx re-derives its total from the paged edges', async () => {
  const r = await staff.post('/api/v1/matching/runs', { k: 5 });
  assert.equal(r.status, 202, r.text);
  assert.ok(['queued', 'running', 'done'].includes(r.body.status), r.body.status);
  assert.equal(r.body.params.k, 5);
  const run = await finished(r.body.id);
  assert.equal(run.status, 'done', run.error_message);
  assert.ok(run.n_edges > 0 && run.n_allocated > 0);
  assert.equal(run.progress_done, run.progress_total, 'progress complete');
  assert.equal(run.attempts, 1);
  const edges = await allEdges(run.id);
  assert.equal(edges.length, run.n_edges, 'every candidate edge is listed, page by page');
  assert.ok(edges.every((e) => e.need_quantity > 0 && e.resource_quantity > 0 && e.need_title && e.resource_org_name));
  const check = recheck(run, edges);
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.equal(JSON.parse(check.stdout).networkx, run.total_score);
  // the whole candidate graph in one download (for big runs): the same edges, the same check
  const csv = await staff.get(`/api/v1/matching/runs/${run.id}/edges?format=csv`);
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const [head, ...lines] = csv.text.trim().split('\r\n');
  const keys = head.split(',');
  const fromCsv = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], Number(v)])));
  assert.deepEqual(fromCsv, edges.map((e) => Object.fromEntries(keys.map((k) => [k, e[k]]))));
  assert.equal(recheck(run, fromCsv).status, 0);
  assert.equal((await staff.get(`/api/v1/matching/runs/${run.id}/edges?format=xml`)).status, 422);
  const alloc = await allEdges(run.id, 1);
  assert.equal(alloc.length, run.n_allocated);
  assert.ok(alloc.every((e) => e.flow > 0));
  assert.equal(alloc.reduce((a, e) => a + e.flow, 0), run.total_quantity);
  const page2 = await staff.get(`/api/v1/matching/runs/${run.id}/edges?per_page=1&page=2`);
  assert.equal(page2.body.items[0].seq, edges[1].seq, 'pages follow the edge order');
  const audit = (await admin.get('/api/v1/audit?per_page=20')).body.items.map((a) => a.action);
  assert.ok(audit.includes('matching.run') && audit.includes('matching.run.done'), audit.join());
  const list = await staff.get('/api/v1/matching/runs');
  assert.equal(list.body.items[0].id, run.id);
  const one = await staff.post('/api/v1/matching/runs', { k: 3, categories: ['volunteers'] });
  assert.equal(one.status, 202, one.text);
  const filtered = await finished(one.body.id);
  assert.equal(filtered.status, 'done');
  assert.ok(filtered.n_edges <= run.n_edges);
  assert.deepEqual(filtered.params.categories, ['volunteers']);
  assert.equal((await staff.get('/api/v1/matching/runs/999999')).status, 404);
  assert.equal((await staff.get('/api/v1/matching/runs/999999/edges')).status, 404);
  assert.equal((await staff.get(`/api/v1/matching/runs/${run.id}/edges?allocated=2`)).status, 422);
});

test('a street filter keeps only that street\'s items', async () => {
  const need = (await staff.get(`/api/v1/needs/${needId}`)).body;
  const r = await staff.post('/api/v1/matching/runs', { streets: [need.street_code] });
  assert.equal(r.status, 202, r.text);
  const run = await finished(r.body.id);
  assert.equal(run.status, 'done');
  assert.deepEqual(run.params.streets, [need.street_code]);
  for (const e of await allEdges(run.id)) {
    for (const [kind, id] of [['needs', e.need_id], ['resources', e.resource_id]]) {
      const item = (await staff.get(`/api/v1/${kind}/${id}`)).body;
      assert.equal((item.community_code || item.street_code).slice(0, 9), need.street_code.slice(0, 9));
    }
  }
});

test('one run at a time: a second run while one is queued or running is refused (409) and changes nothing', async () => {
  // a run another server instance is computing (its lease still runs)
  const far = Math.floor(Date.now() / 1000) + 3600;
  srv.sql(`INSERT INTO matching_run (status, params, weights, created_at, active_slot, attempts, lease_until, phase) VALUES ('running', '{"categories":[],"streets":[],"k":5}', '{}', 1, 1, 1, ${far}, 'allocating')`);
  const busy = Number(srv.sql('SELECT MAX(id) FROM matching_run'));
  const before = await auditTotal();
  const total = (await staff.get('/api/v1/matching/runs')).body.total;
  const r = await staff.post('/api/v1/matching/runs', { k: 5 });
  assert.equal(r.status, 409, r.text);
  assert.match(r.body.detail || r.body.title, /排队或进行中/);
  assert.equal(await auditTotal(), before, 'nothing audited');
  assert.equal((await staff.get('/api/v1/matching/runs')).body.total, total, 'nothing queued');
  const shown = await staff.get(`/api/v1/matching/runs/${busy}`);
  assert.equal(shown.body.status, 'running');
  assert.equal(shown.body.phase, 'allocating');
  srv.sql(`UPDATE matching_run SET status = 'failed', active_slot = NULL WHERE id = ${busy}`);
  assert.equal((await staff.post('/api/v1/matching/runs', { k: 2 })).status, 202, 'free again');
  assert.equal((await finished(Number(srv.sql('SELECT MAX(id) FROM matching_run')))).status, 'done');
});

test('a run interrupted by a crash (lease over) is computed again; interrupted twice, it fails with a message', async () => {
  const past = Math.floor(Date.now() / 1000) - 10;
  const ins = (attempts) => {
    srv.sql(`INSERT INTO matching_run (status, params, weights, created_at, active_slot, attempts, lease_until, phase) VALUES ('running', '{"categories":[],"streets":[],"k":4}', '{}', 1, 1, ${attempts}, ${past}, 'storing')`);
    return Number(srv.sql('SELECT MAX(id) FROM matching_run'));
  };
  const once = ins(1);
  const redone = await finished(once);
  assert.equal(redone.status, 'done');
  assert.equal(redone.attempts, 2);
  assert.ok(redone.n_edges > 0);
  const twice = ins(2);
  const failed = await finished(twice);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error, 'matching.run_interrupted');
  assert.match(failed.error_message, /中断/);
  const en = await staff.get(`/api/v1/matching/runs/${twice}`, { lang: 'en' });
  assert.match(en.body.error_message, /interrupted/);
  assert.equal((await staff.post('/api/v1/matching/runs', { k: 1 })).status, 202, 'the slot is free after a failure');
  await finished(Number(srv.sql('SELECT MAX(id) FROM matching_run')));
});

test('a bad run body is refused with every bad field and changes nothing', async () => {
  const before = await auditTotal();
  const total = (await staff.get('/api/v1/matching/runs')).body.total;
  for (const [body, field] of [[{ k: 0 }, 'k'], [{ categories: ['spaceships'] }, 'categories'], [{ streets: ['12'] }, 'streets'], [{ colour: 1 }, 'colour'], [{ k: 'many' }, 'k']]) {
    const r = await staff.post('/api/v1/matching/runs', body, { invalid: true });
    assert.equal(r.status, 422, field);
    assert.ok(r.body.errors.some((f) => f.field === field), r.text);
  }
  const both = await staff.post('/api/v1/matching/runs', { k: 99, streets: ['x'] }, { invalid: true });
  assert.deepEqual(both.body.errors.map((f) => f.field).sort(), ['k', 'streets']);
  assert.equal(await auditTotal(), before);
  assert.equal((await staff.get('/api/v1/matching/runs')).body.total, total);
  assert.equal((await orgadmin.post('/api/v1/matching/runs', {})).status, 403);
  assert.equal((await orgadmin.get('/api/v1/matching/runs')).status, 403);
  assert.equal((await orgadmin.get('/api/v1/matching/runs/1/edges')).status, 403);
});

test('a resource posted a second ago is among a need\'s suggestions at once; a closed one is gone at once', async () => {
  await staff.get(`/api/v1/needs/${needId}/suggestions`); // the index exists now
  const r = await staff.post('/api/v1/resources', { org_id: otherOrg, title: '助餐志愿者新队伍', description: '社区老人助餐送餐志愿者', category: 'volunteers', unit: 'people', quantity: 6, fields: ['social_service'] });
  assert.equal(r.status, 201, r.text);
  const got = suggested(await staff.get(`/api/v1/needs/${needId}/suggestions?k=50`));
  assert.ok(got.includes(r.body.id), 'the new resource is suggested without waiting');
  const closed = await staff.patch(`/api/v1/resources/${r.body.id}`, { version: r.body.version, status: 'closed' });
  assert.equal(closed.status, 200, closed.text);
  assert.ok(!suggested(await staff.get(`/api/v1/needs/${needId}/suggestions?k=50`)).includes(r.body.id));
});

test('an edit is seen at once: a resource in another unit, changed to the need\'s unit, becomes a suggestion', async () => {
  assert.ok(!suggested(await staff.get(`/api/v1/needs/${needId}/suggestions?k=50`)).includes(ids.unit));
  const item = (await staff.get(`/api/v1/resources/${ids.unit}`)).body;
  const r = await staff.patch(`/api/v1/resources/${ids.unit}`, { version: item.version, unit: 'people', quantity: 4 });
  assert.equal(r.status, 200, r.text);
  const got = (await staff.get(`/api/v1/needs/${needId}/suggestions?k=50`)).body.suggestions.find((s) => s.id === ids.unit);
  assert.ok(got, 'suggested right after the edit');
  assert.equal(got.remaining, 4);
});

test('a pair with a live docking is marked in suggestions and left out of a run\'s candidate edges', async () => {
  const d = await orgadmin.post('/api/v1/dockings', { need_id: needId, resource_id: ids.good, quantity: 2 });
  assert.equal(d.status, 201, d.text);
  const list = (await orgadmin.get(`/api/v1/needs/${needId}/suggestions?k=20`)).body.suggestions;
  const good = list.find((s) => s.id === ids.good);
  assert.ok(good, 'still shown');
  assert.equal(good.docking.id, d.body.id);
  assert.equal(good.docking.status, 'proposed');
  assert.ok(list.filter((s) => s.id !== ids.good).every((s) => s.docking === null));
  const fromResource = (await staff.get(`/api/v1/resources/${ids.good}/suggestions?k=20`)).body.suggestions.find((s) => s.id === needId);
  assert.equal(fromResource?.docking?.id, d.body.id);
  const r = await staff.post('/api/v1/matching/runs', { k: 10 });
  assert.equal(r.status, 202, r.text);
  const run = await finished(r.body.id);
  const edges = await allEdges(run.id);
  assert.ok(edges.some((e) => e.need_id === needId), 'the need still has other candidates');
  assert.ok(!edges.some((e) => e.need_id === needId && e.resource_id === ids.good), 'the docked pair is no edge');
  assert.equal(recheck(run, edges).status, 0);
});
