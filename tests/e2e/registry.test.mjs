// The registry in a real browser, on the demo district: a department staff member searches a
// two-character Chinese word, opens an organization, edits it and sees it saved; a server field
// error lands on its field; a stale version is explained with a choice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN } from '../api/harness.mjs';
import { navTo, settle, shot, signIn, startApp, weight } from './browser.mjs';

// Until the registry's routes are in the binary there is nothing to drive.
const ready = spawnSync(BIN, ['routes'], { encoding: 'utf8' }).stdout.includes('"/api/v1/orgs"');
const opts = { skip: ready ? false : 'this tongxin has no registry routes yet' };

let app;
let staff; // an API client signed in as staff, to look behind the page
before(async () => {
  if (!ready) return;
  app = await startApp({ demo: true });
  staff = await app.srv.login('staff');
});
after(async () => app?.stop());

/** An organization of the demo, and the two-character word of its name that finds the fewest
 * organizations (so the search is a real narrowing, not "社区" matching everything). */
async function someOrg() {
  const list = await staff.get('/api/v1/orgs?sort=name&per_page=50');
  const org = list.body.items.find((o) => /[\u4e00-\u9fff]{4,}/.test(o.name) && !o.archived);
  const han = org.name.match(/[\u4e00-\u9fff]+/g).sort((a, b) => b.length - a.length)[0];
  let best = null;
  for (let i = 0; i + 2 <= han.length; i++) {
    const word = han.slice(i, i + 2);
    const res = await staff.get(`/api/v1/orgs?q=${encodeURIComponent(word)}&per_page=1`);
    if (res.body.total >= 1 && (!best || res.body.total < best.total)) best = { word, total: res.body.total };
  }
  return { org, word: best.word, total: best.total };
}

test('staff searches a two-character word, opens an organization, edits it and sees it saved', opts, async () => {
  const { org, word, total } = await someOrg();
  const before = await staff.get(`/api/v1/orgs/${org.id}`);
  const page = await app.page();
  await signIn(page, 'staff', 'Tongxin@2026');
  await page.getByRole('img', { name: '按类型分布' }).waitFor(); // the home page's charts
  await settle(page);
  const kib = await weight(page);
  console.log(`# sign-in + home with charts (demo data): ${kib} KiB on the wire`);
  assert.ok(kib < 800, `first page after sign-in: ${kib} KiB`);
  await shot(page, '09-home-demo');
  // the dashboard: one statistics call, four charts, the server's total
  for (const name of ['按街道分布', '按评估等级分布', '每月新登记']) await page.getByRole('img', { name }).waitFor();
  const stats = await staff.get('/api/v1/stats/registry');
  assert.equal(await page.getByTestId('home-total').innerText().then((s) => Number(s.replace(/\D/g, ''))), stats.body.total);
  assert.equal(page.net.filter((r) => r.url.includes('/api/v1/orgs?')).length, 0, 'no list calls to count');
  await navTo(page, '组织名录', '组织');
  await page.getByRole('heading', { name: '社会组织' }).waitFor();
  await settle(page);
  await shot(page, '10-org-list');

  await page.getByRole('textbox', { name: '搜索组织' }).fill(word);
  await page.waitForURL((u) => u.searchParams.get('q') === word);
  await page.getByTestId('org-count').filter({ hasText: `找到 ${total} 个组织` }).waitFor();
  const names = await page.locator('.name-link').allTextContents();
  assert.ok(names.includes(org.name), `${org.name} among the results for ${word}`);
  await shot(page, '11-org-search');

  await page.getByRole('link', { name: org.name }).click();
  await page.getByRole('heading', { name: org.name }).waitFor();
  await page.getByText('登记人员').waitFor(); // the overview's figures
  await shot(page, '12-org-detail');
  await page.getByRole('tab', { name: '基本信息' }).click();
  await page.getByTestId('org-profile').waitFor();

  await page.getByRole('button', { name: '编辑' }).click();
  await page.getByRole('heading', { name: `编辑组织：${org.name}` }).waitFor();
  const address = `和平路 ${Date.now() % 1000} 号`;
  await page.getByLabel('地址').fill(address);
  await shot(page, '13-org-edit');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('修改已保存').waitFor();
  await page.getByRole('heading', { name: org.name }).waitFor();
  const after = await staff.get(`/api/v1/orgs/${org.id}`);
  assert.equal(after.body.address, address);
  assert.equal(after.body.version, before.body.version + 1, 'one new version was written');
  await page.getByRole('tab', { name: '基本信息' }).click();
  await page.getByTestId('org-profile').getByText(address).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a field the server refuses shows its message under that field', opts, async () => {
  const { org } = await someOrg();
  const page = await app.page();
  await signIn(page, 'staff', 'Tongxin@2026');
  await page.goto(`/orgs/${org.id}/edit`);
  await page.getByLabel('电子邮箱').fill('not-an-email');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('alert').filter({ hasText: '请修改标出的字段后再保存' }).waitFor();
  const item = page.getByTestId('field-contact_email');
  await item.locator('.el-form-item__error').waitFor();
  await shot(page, '14-org-field-error');
  const unchanged = await staff.get(`/api/v1/orgs/${org.id}`);
  assert.notEqual(unchanged.body.contact_email, 'not-an-email');
});

test('a grade announced for next year is listed as not yet in force and does not change the current grade', opts, async () => {
  const { org } = await someOrg();
  const year = new Date().getFullYear();
  const before = (await staff.get(`/api/v1/orgs/${org.id}`)).body.current_grade;
  const add = await staff.post(`/api/v1/orgs/${org.id}/grades`, { grade: '5A', announced_on: `${year}-03-01`, valid_from: `${year + 1}-01-01`, valid_to: `${year + 5}-12-31` });
  assert.equal(add.status, 201, add.text);
  const id = add.body.items.find((g) => g.grade === '5A' && g.valid_from === `${year + 1}-01-01`).id;
  const page = await app.page();
  await signIn(page, 'staff', 'Tongxin@2026');
  await page.goto(`/orgs/${org.id}`);
  await page.getByRole('tab', { name: '等级评估' }).click();
  const tag = page.getByTestId(`grade-period-${id}`);
  await tag.waitFor();
  assert.equal((await tag.innerText()).trim(), '尚未生效');
  await settle(page);
  await shot(page, '14b-org-grade-upcoming');
  assert.equal((await staff.get(`/api/v1/orgs/${org.id}`)).body.current_grade, before);
  assert.deepEqual(page.errors, []);
});

test('saving over someone else\'s newer version explains it and lets me choose', opts, async () => {
  const { org } = await someOrg();
  const page = await app.page();
  await signIn(page, 'staff', 'Tongxin@2026');
  await page.goto(`/orgs/${org.id}/edit`);
  await page.getByLabel('联系人').waitFor();
  // someone else saves first
  const now = await staff.get(`/api/v1/orgs/${org.id}`);
  const theirs = await staff.patch(`/api/v1/orgs/${org.id}`, { contact_person: '张三', version: now.body.version });
  assert.equal(theirs.status, 200, theirs.text);
  await page.getByLabel('联系人').fill('李四');
  await page.getByRole('button', { name: '保存' }).click();
  const dialog = page.getByRole('dialog', { name: '该组织已被他人修改' });
  await dialog.waitFor();
  await dialog.getByText('张三').waitFor();
  await dialog.getByText('李四').waitFor();
  await shot(page, '15-org-stale', { fullPage: false });
  await dialog.getByRole('button', { name: '以我的修改覆盖' }).click();
  await page.getByText('修改已保存').waitFor();
  const after = await staff.get(`/api/v1/orgs/${org.id}`);
  assert.equal(after.body.contact_person, '李四');
});
