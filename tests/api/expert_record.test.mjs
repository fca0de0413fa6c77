// An expert's service record (服务记录): the fulfilled and failed dockings of a talent pool
// entry and the ratings the need sides gave it, kept in the docking's transaction; shown on the
// entry and the list, and used in expert suggestions as an explained part with a smoothed mean
// (no rating yet = middling; one rating does not make a perfect record). Both engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv, staff, orgadmin, member, ownOrg, ada, bo;

before(async () => {
  srv = await startServer({ demo: 30 });
  [staff, orgadmin, member] = await Promise.all(['staff', 'orgadmin', 'member'].map((u) => srv.login(u)));
  ownOrg = (await staff.get('/api/v1/orgs?per_page=1&sort=created')).body.items[0].id;
  const expert = async (name) => {
    const r = await staff.post('/api/v1/talents', { name, kind: 'expert', skills: ['养老机构评估', '适老化改造'], fields: ['health'], hours_per_month: 40 });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  ada = await expert('甄评估师');
  bo = await expert('贾评估师');
});
after(async () => { await srv.stop(); });

const need = async (title) => {
  const r = await orgadmin.post('/api/v1/needs', { org_id: ownOrg, title, category: 'expertise', unit: 'hours', quantity: 20, fields: ['health'], description: '请专家开展养老机构评估与适老化改造指导' });
  assert.equal(r.status, 201, r.text);
  return r.body;
};
/** Proposed by the need's organization, accepted by staff for the expert. */
async function accepted(talent, title) {
  const n = await need(title);
  const p = await orgadmin.post('/api/v1/dockings', { need_id: n.id, talent_id: talent.id, quantity: 4 });
  assert.equal(p.status, 201, p.text);
  const a = await staff.post(`/api/v1/dockings/${p.body.id}/accept`, { version: p.body.version, side: 'resource' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.status, 'accepted');
  return a.body;
}
const record = async (t) => (await member.get(`/api/v1/talents/${t.id}`)).body.record;
const recordPart = (res, t) => res.body.suggestions.find((s) => s.id === t.id).score.parts.find((p) => p.part === 'record');

test('a new expert has an empty record, counted as middling in suggestions', async () => {
  assert.deepEqual(await record(ada), { fulfilled: 0, failed: 0, rating_count: 0, rating_mean: null });
  const n = await need('养老机构服务质量评估');
  const res = await orgadmin.get(`/api/v1/needs/${n.id}/expert-suggestions`);
  assert.equal(res.status, 200, res.text);
  const part = recordPart(res, ada);
  assert.equal(part.name, '服务记录');
  assert.equal(part.value, 0.5);
  assert.equal(part.weight, 0.1);
  assert.match(part.reason, /已完成对接 0 次，尚无评分/);
  assert.deepEqual(res.body.suggestions.find((s) => s.id === ada.id).record, { fulfilled: 0, failed: 0, rating_count: 0, rating_mean: null });
});

test('fulfilled and failed dockings and the need side\'s ratings make the record; it ranks and explains suggestions', async () => {
  // ada: fulfilled with 5, fulfilled then rated 4 afterwards; a declined proposal is no failure
  const d1 = await accepted(ada, '养老院消防与适老化评估');
  assert.equal((await orgadmin.post(`/api/v1/dockings/${d1.id}/fulfil`, { version: d1.version, rating: 5, feedback: '评估细致' })).status, 200);
  const d2 = await accepted(ada, '社区日间照料中心评估');
  const f2 = await orgadmin.post(`/api/v1/dockings/${d2.id}/fulfil`, { version: d2.version });
  assert.equal(f2.status, 200, f2.text);
  assert.deepEqual(await record(ada), { fulfilled: 2, failed: 0, rating_count: 1, rating_mean: 5 });
  const fb = await orgadmin.post(`/api/v1/dockings/${d2.id}/feedback`, { version: f2.body.version, rating: 4 });
  assert.equal(fb.status, 200, fb.text);
  const n3 = await need('养老机构评估（拒绝的提议）');
  const p3 = await orgadmin.post('/api/v1/dockings', { need_id: n3.id, talent_id: ada.id, quantity: 1 });
  assert.equal((await staff.post(`/api/v1/dockings/${p3.body.id}/fail`, { version: p3.body.version, reason: '时间不合适' })).status, 200);
  assert.deepEqual(await record(ada), { fulfilled: 2, failed: 0, rating_count: 2, rating_mean: 4.5 });
  // bo: accepted, then failed with a poor rating
  const d4 = await accepted(bo, '护理站适老化评估');
  const f4 = await orgadmin.post(`/api/v1/dockings/${d4.id}/fail`, { version: d4.version, reason: '专家未按时到场', rating: 1 });
  assert.equal(f4.status, 200, f4.text);
  assert.deepEqual(await record(bo), { fulfilled: 0, failed: 1, rating_count: 1, rating_mean: 1 });
  // the expert's own rating of the need side is not the expert's record
  assert.equal((await staff.post(`/api/v1/dockings/${d4.id}/feedback`, { version: f4.body.version, rating: 5, side: 'resource' })).status, 200);
  assert.deepEqual(await record(bo), { fulfilled: 0, failed: 1, rating_count: 1, rating_mean: 1 });
  // the list shows the record too
  const listed = (await member.get('/api/v1/talents?q=' + encodeURIComponent('评估师'))).body.items;
  assert.deepEqual(listed.find((t) => t.id === ada.id).record, { fulfilled: 2, failed: 0, rating_count: 2, rating_mean: 4.5 });

  const n = await need('养老机构年度评估');
  const res = await orgadmin.get(`/api/v1/needs/${n.id}/expert-suggestions`);
  const a = recordPart(res, ada), b = recordPart(res, bo);
  assert.ok(Math.abs(a.value - ((9 + 2 * 3) / (2 + 2) - 1) / 4) < 1e-9, `smoothed: ${a.value}`);
  assert.ok(Math.abs(b.value - ((1 + 2 * 3) / (1 + 2) - 1) / 4) < 1e-9, `smoothed: ${b.value}`);
  assert.ok(Math.abs(a.contribution - a.value * 0.1) < 1e-9);
  assert.match(a.reason, /^服务记录 0\.69 × 权重 0\.10 = 0\.07（已完成对接 2 次，2 次评分平均 4\.5 分）$/);
  assert.match(b.reason, /已完成对接 0 次，1 次评分平均 1\.0 分/);
  const names = res.body.suggestions.map((s) => s.id);
  assert.ok(names.indexOf(ada.id) < names.indexOf(bo.id), 'alike but for the record: the better record first');
  const en = await orgadmin.get(`/api/v1/needs/${n.id}/expert-suggestions`, { lang: 'en' });
  const ae = recordPart(en, ada);
  assert.equal(ae.name, 'Service record');
  assert.match(ae.reason, /2 dockings fulfilled; 2 ratings, mean 4\.5/);
});

test('every record agrees with the docking history', async () => {
  const rows = srv.sql("SELECT t.id || ',' || COALESCE(SUM(CASE WHEN d.status = 'fulfilled' THEN 1 ELSE 0 END), 0) || ',' || "
    + "COALESCE(SUM(CASE WHEN d.status = 'failed' AND d.need_accepted_at IS NOT NULL AND d.resource_accepted_at IS NOT NULL THEN 1 ELSE 0 END), 0) || ',' || "
    + "COUNT(d.need_rating) FROM talent t LEFT JOIN docking d ON d.talent_id = t.id GROUP BY t.id ORDER BY t.id").split('\n');
  assert.ok(rows.length > 2);
  let rated = 0;
  for (const row of rows) {
    const [id, fulfilled, failed, ratings] = row.split(',').map(Number);
    const r = await record({ id });
    assert.deepEqual([r.fulfilled, r.failed, r.rating_count], [fulfilled, failed, ratings], `talent ${id}`);
    rated += ratings;
  }
  assert.ok(rated >= 4, 'the demo\'s rated expert docking and this file\'s');
});
