// A run's edges as one CSV download: streamed page by page from the database (bounded memory
// whatever the run's size), so a run bigger than one page must come out whole — one line per
// candidate edge plus the header, every line parsing to the edge the paged JSON lists. Both
// engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';

let srv, staff, member;
const N = 55; // 55 needs x 55 resources, k = 50: more edges than one page of the stream (2,000)

before(async () => {
  srv = await startServer({ demo: 30 });
  [staff, member] = await Promise.all(['staff', 'member'].map((u) => srv.login(u)));
  const orgs = (await staff.get('/api/v1/orgs?per_page=100&sort=created')).body.items;
  const post = async (kind, i) => {
    const r = await staff.post(`/api/v1/${kind}`, {
      org_id: orgs[(kind === 'needs' ? 0 : 1) + 2 * (i % 10)].id, title: `助老志愿服务 ${kind} ${i}`,
      description: '社区老人助餐送餐志愿服务', category: 'volunteers', unit: 'people',
      quantity: 1 + (i % 7), fields: ['social_service'] });
    assert.equal(r.status, 201, r.text);
  };
  for (let i = 0; i < N; i += 11)
    await Promise.all(Array.from({ length: 11 }, (_, j) => [post('needs', i + j), post('resources', i + j)]).flat());
});
after(async () => { await srv.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function finished(id) {
  for (let i = 0; i < 600; i++) {
    const r = await staff.get(`/api/v1/matching/runs/${id}`);
    if (r.body.status === 'done' || r.body.status === 'failed') return r.body;
    await sleep(100);
  }
  throw new Error(`run ${id} did not finish`);
}

test('a run\'s CSV has one line per edge plus the header, across pages, and parses', async () => {
  const posted = await staff.post('/api/v1/matching/runs', { k: 50, categories: ['volunteers'] });
  assert.equal(posted.status, 202, posted.text);
  const run = await finished(posted.body.id);
  assert.equal(run.status, 'done', run.error_message);
  assert.ok(run.n_edges > 2000, `${run.n_edges} edges: more than one page`);
  const csv = await staff.get(`/api/v1/matching/runs/${run.id}/edges?format=csv`);
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), new RegExp(`run-${run.id}-edges\\.csv`));
  assert.ok(csv.text.endsWith('\r\n'), 'the last line is complete');
  const [head, ...lines] = csv.text.slice(0, -2).split('\r\n');
  assert.equal(head, 'seq,need_id,resource_id,score,capacity,flow,need_quantity,resource_quantity');
  assert.equal(lines.length, run.n_edges, 'one line per candidate edge');
  const rows = lines.map((l) => l.split(',').map(Number));
  assert.ok(rows.every((r) => r.length === 8 && r.every(Number.isInteger)), 'every line parses to 8 integers');
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i][0] > rows[i - 1][0], 'in seq order, no line twice');
  assert.equal(rows.filter((r) => r[5] > 0).length, run.n_allocated, 'the allocated edges are there');
  assert.equal(rows.reduce((a, r) => a + r[5], 0), run.total_quantity, 'flows add up to the run total');
  // spot-check the lines against the paged JSON at the start, a page boundary and the end
  for (const at of [0, 1999, 2000, rows.length - 1]) {
    if (at >= rows.length) continue;
    const page = await staff.get(`/api/v1/matching/runs/${run.id}/edges?per_page=1&page=${at + 1}`);
    const e = page.body.items[0];
    assert.deepEqual(rows[at], [e.seq, e.need_id, e.resource_id, e.score, e.capacity, e.flow, e.need_quantity, e.resource_quantity]);
  }
  assert.equal((await staff.get('/api/v1/matching/runs/999999/edges?format=csv')).status, 404);
  assert.equal((await member.get(`/api/v1/matching/runs/${run.id}/edges?format=csv`)).status, 403);
});
