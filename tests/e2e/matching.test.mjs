// Matching in a real browser, on the demo district: an organization administrator opens one of
// their organization's needs, reads the suggestions with every part's reason, and proposes a
// docking from a suggestion (the docking then exists, and the suggestion says so); staff start a
// global allocation run for some streets, follow it from queued to done, page its allocation and
// propose a docking from a line; a run in progress shows its phase; the weights page on a phone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, DEMO_PASSWORD } from '../api/harness.mjs';
import { navTo, settle, shot, signIn, startApp } from './browser.mjs';

const ready = spawnSync(BIN, ['routes'], { encoding: 'utf8' }).stdout.includes('/api/v1/matching/runs');
const opts = { skip: ready ? false : 'this tongxin has no matching routes yet' };

let app, staff, orgadmin, needId, goodId;
before(async () => {
  if (!ready) return;
  app = await startApp({ demo: true });
  [staff, orgadmin] = await Promise.all([app.srv.login('staff'), app.srv.login('orgadmin')]);
  const ownOrg = orgadmin.me.org_ids[0];
  const orgs = (await staff.get('/api/v1/orgs?per_page=100&sort=created')).body.items;
  const otherOrg = orgs.find((o) => o.id !== ownOrg).id;
  const need = await orgadmin.post('/api/v1/needs', { org_id: ownOrg, title: '社区助餐志愿者招募', description: '为社区老人助餐送餐的志愿者',
    category: 'volunteers', quantity: 5, unit: 'people', fields: ['social_service'] });
  assert.equal(need.status, 201, need.text);
  needId = need.body.id;
  const res = await staff.post('/api/v1/resources', { org_id: otherOrg, title: '助餐志愿者服务队', description: '长期为社区老人助餐送餐',
    category: 'volunteers', unit: 'people', quantity: 8, fields: ['social_service'] });
  assert.equal(res.status, 201, res.text);
  goodId = res.body.id;
});
after(async () => app?.stop());

test('an organization administrator reads suggestions with reasons and proposes a docking from one', opts, async () => {
  const p = await app.page();
  await signIn(p, 'orgadmin', DEMO_PASSWORD);
  await p.goto(`/needs/${needId}`);
  const items = p.getByTestId('match-suggestions').getByTestId('ms-item');
  await items.first().waitFor();
  const first = items.filter({ hasText: '助餐志愿者服务队' }).first();
  await first.locator('.el-collapse-item__header').click();
  const reasons = first.getByTestId('ms-reason');
  await reasons.first().waitFor();
  assert.equal(await first.getByTestId('ms-part').count(), 7, 'every part of the score is shown');
  assert.match((await reasons.allInnerTexts()).join('\n'), /领域重合/);
  assert.match(await first.getByTestId('ms-total').innerText(), /总分 \d\.\d\d/);
  await settle(p);
  await shot(p, 'matching-01-suggestions');

  await first.getByTestId('ms-propose').click();
  const qty = p.getByTestId('mp-quantity').locator('input');
  await qty.waitFor();
  assert.equal(await qty.inputValue(), '5', 'min of the need (5) and the resource (8) remaining');
  await shot(p, 'matching-02-propose', { fullPage: false });
  await p.getByTestId('mp-submit').click();
  const link = p.getByTestId('ms-docking-link');
  await link.waitFor();
  const dockingId = Number((await link.innerText()).match(/#(\d+)/)[1]);
  const d = await orgadmin.get(`/api/v1/dockings/${dockingId}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.body.need_id, needId);
  assert.equal(d.body.resource_id, goodId);
  assert.equal(d.body.quantity, 5);
  await link.click();
  await p.waitForURL(new RegExp(`/dockings/${dockingId}$`));
  // back on the need, the pair is marked as being docked and cannot be proposed twice
  await p.goto(`/needs/${needId}`);
  const again = p.getByTestId('match-suggestions').getByTestId('ms-item').filter({ hasText: '助餐志愿者服务队' }).first();
  await again.getByTestId('ms-docked').waitFor();
  await again.locator('.el-collapse-item__header').click();
  await again.getByTestId('ms-docking').waitFor();
  assert.equal(await again.getByTestId('ms-propose').count(), 0, 'no second proposal');
});

test('staff start a global allocation run for some streets, watch it finish, page its allocation and propose a docking from it', opts, async () => {
  const p = await app.page();
  await signIn(p, 'staff', DEMO_PASSWORD);
  await navTo(p, '资源整合', '全局分配');
  await p.getByRole('heading', { name: '全局分配运行' }).waitFor();
  // the street filter offers the district's streets; choose the streets of a pair an unfiltered
  // run allocates (so the filtered run has something to allocate too)
  const all = await staff.post('/api/v1/matching/runs', { k: 5 });
  assert.equal(all.status, 202, all.text);
  for (let i = 0; i < 300 && (await staff.get(`/api/v1/matching/runs/${all.body.id}`)).body.status !== 'done'; i++) await new Promise((r) => setTimeout(r, 100));
  const pair = (await staff.get(`/api/v1/matching/runs/${all.body.id}/edges?allocated=1&per_page=1`)).body.items[0];
  const streetOf = async (kind, id) => (await staff.get(`/api/v1/${kind}/${id}`)).body.street_code;
  const codes = [...new Set([await streetOf('needs', pair.need_id), await streetOf('resources', pair.resource_id)])];
  const streets = (await staff.get('/api/v1/divisions')).body.streets.filter((st) => codes.includes(st.code));
  assert.equal(streets.length, codes.length);
  await p.reload();
  await p.getByTestId('run-start').and(p.locator(':enabled')).waitFor();
  await p.getByTestId('run-streets').click();
  for (const st of streets) await p.locator('.el-select-dropdown__item:visible', { hasText: st.name }).first().click();
  await p.keyboard.press('Escape');
  await p.getByTestId('run-start').click();
  await p.waitForURL(/\/matching\/runs\/\d+$/);
  const runId = Number(p.url().match(/(\d+)$/)[1]);
  // queued, then running, then done: the page follows it without a reload
  await p.getByTestId('run-status').filter({ hasText: '完成' }).waitFor({ timeout: 30000 });
  const run = (await staff.get(`/api/v1/matching/runs/${runId}`)).body;
  assert.equal(run.status, 'done');
  assert.deepEqual(run.params.streets, streets.map((s) => s.code));
  assert.equal(Number(await p.getByTestId('run-total-quantity').innerText()), run.total_quantity);
  const rows = p.getByTestId('run-allocation').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), Math.min(20, run.n_allocated), 'the first page of the allocation');
  await settle(p);
  await shot(p, 'matching-03-run');
  // propose a docking from the first line: the line then links to it
  const first = rows.first();
  await first.getByTestId('run-propose').click();
  await p.getByTestId('mp-submit').click();
  const docked = first.getByTestId('run-docked');
  await docked.waitFor();
  const dockingId = Number((await docked.innerText()).match(/#(\d+)/)[1]);
  const edge = (await staff.get(`/api/v1/matching/runs/${runId}/edges?allocated=1&per_page=1`)).body.items[0];
  const d = (await staff.get(`/api/v1/dockings/${dockingId}`)).body;
  assert.deepEqual([d.need_id, d.resource_id], [edge.need_id, edge.resource_id]);
  await p.getByRole('button', { name: /返回/ }).click();
  await p.getByTestId('run-list').locator('tbody tr').first().waitFor();
  await shot(p, 'matching-04-runs');
});

test('a run in progress shows its phase and progress, and the list follows it to the end', opts, async () => {
  // a run claimed by the server's task is computed within a second or two on the demo; to see
  // the progress, stand in for a worker that is half-way (its lease still runs), then let go
  const far = Math.floor(Date.now() / 1000) + 3600;
  app.srv.sql(`INSERT INTO matching_run (status, params, weights, created_at, active_slot, attempts, lease_until, phase, progress_done, progress_total, started_at) VALUES ('running', '{"categories":[],"streets":[],"k":5}', '{}', ${far - 3600}, 1, 1, ${far}, 'candidates', 120, 300, ${far - 3600})`);
  const id = Number(app.srv.sql('SELECT MAX(id) FROM matching_run'));
  const p = await app.page();
  await signIn(p, 'staff', DEMO_PASSWORD);
  await p.goto(`/matching/runs/${id}`);
  const phase = p.getByTestId('run-phase');
  await phase.waitFor();
  assert.match(await phase.innerText(), /生成候选 120\/300/);
  await settle(p);
  await shot(p, 'matching-08-run-progress');
  await p.goto('/matching/runs');
  await p.getByTestId('run-list').getByTestId('run-progress').first().waitFor();
  assert.ok(await p.getByTestId('run-start').isDisabled(), 'one run at a time');
  // the lease runs out (the worker died): the task computes the run again and the list shows it done
  app.srv.sql(`UPDATE matching_run SET lease_until = 1 WHERE id = ${id}`);
  await p.getByTestId('run-list').locator('tbody tr').first().getByTestId('run-status').filter({ hasText: '完成' }).waitFor({ timeout: 30000 });
  assert.ok(await p.getByTestId('run-start').isEnabled());
});

test('a phone (375 px): the weights page fits and the server\'s field errors land on the field', opts, async () => {
  const p = await app.page({ width: 375 });
  await signIn(p, 'staff', DEMO_PASSWORD);
  await p.goto('/matching/weights');
  const text = p.getByTestId('w-text').locator('input');
  await text.waitFor();
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `no sideways scrolling: ${width}`);
  await settle(p);
  await shot(p, 'matching-05-weights-phone');
  for (const k of ['category', 'fields', 'text', 'proximity', 'time', 'quantity', 'trust']) {
    const input = p.getByTestId('w-' + k).locator('input');
    await input.fill('0');
    await input.blur();
  }
  await p.getByTestId('w-save').click();
  const err = p.locator('.el-form-item', { has: p.getByTestId('w-category') }).locator('.el-form-item__error');
  await err.waitFor();
  assert.ok((await err.innerText()).length > 0, 'all zero: the server names the category field');
  await shot(p, 'matching-06-weights-error');
  await p.getByRole('button', { name: '恢复默认' }).click();
  await text.fill('0.9');
  await text.blur();
  await p.getByTestId('w-save').click();
  await p.getByText('已保存').first().waitFor();
  const w = (await staff.get('/api/v1/matching/weights')).body;
  assert.equal(w.weights.text, 0.9);
});

test('a phone (375 px): the suggestions on a need fit the screen', opts, async () => {
  const p = await app.page({ width: 375 });
  await signIn(p, 'orgadmin', DEMO_PASSWORD);
  await p.goto(`/needs/${needId}`);
  const item = p.getByTestId('ms-item').first();
  await item.waitFor();
  await item.locator('.el-collapse-item__header').click();
  await item.getByTestId('ms-reason').first().waitFor();
  await settle(p);
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `no sideways scrolling: ${width}`);
  await shot(p, 'matching-07-suggestions-phone');
});
