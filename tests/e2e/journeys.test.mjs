// The journeys on the demo district, in a real browser:
//  1. staff signs in → searches a two-character Chinese word → opens an organization → edits it
//     → an administrator sees the change in the audit trail as a field diff, and the chain
//     verifies;
//  3. an organization administrator edits their own organization, and cannot edit another
//     (no button; a crafted PATCH with the CSRF token is refused 403);
//  the people pages: search, masked phones, detail with organizations, edit, link.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { navTo, settle, shot, signIn, startApp } from './browser.mjs';

const PASSWORD = 'Tongxin@2026';
let app;
let staff; // API clients, to look behind the pages
let admin;
before(async () => {
  app = await startApp({ demo: true });
  staff = await app.srv.login('staff');
  admin = await app.srv.login('admin');
});
after(async () => app?.stop());

/** An organization with a name of 4+ Chinese characters, not orgId, and the two-character word
 * of its name that finds the fewest organizations. */
async function someOrg(not = 0) {
  const list = await staff.get('/api/v1/orgs?sort=name&per_page=50');
  const org = list.body.items.find((o) => /[\u4e00-\u9fff]{4,}/.test(o.name) && !o.archived && o.id !== not);
  const han = org.name.match(/[\u4e00-\u9fff]+/g).sort((a, b) => b.length - a.length)[0];
  let best = null;
  for (let i = 0; i + 2 <= han.length; i++) {
    const word = han.slice(i, i + 2);
    const res = await staff.get(`/api/v1/orgs?q=${encodeURIComponent(word)}&per_page=1`);
    if (res.body.total >= 1 && (!best || res.body.total < best.total)) best = { word, total: res.body.total };
  }
  return { org, word: best.word, total: best.total };
}

/** Chooses `option` in the Element Plus select labelled `label`. */
async function choose(page, label, option) {
  await page.getByRole('combobox', { name: label }).click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: option, exact: true }).click();
}

test('staff edits an organization found by a two-character word; the audit trail shows the change', async () => {
  const { org, word, total } = await someOrg();
  const page = await app.page();
  await signIn(page, 'staff', PASSWORD);
  const nav = page.getByRole('navigation', { name: '主导航' });
  // staff may import and read people, but not the audit trail or users
  await nav.getByText('组织名录', { exact: true }).click();
  for (const name of ['首页', '组织', '人员', '导入', '我的账户']) await nav.getByText(name, { exact: true }).waitFor();
  assert.equal(await nav.getByText('审计', { exact: true }).count(), 0);
  assert.equal(await nav.getByText('用户管理', { exact: true }).count(), 0);

  await nav.getByText('组织', { exact: true }).click();
  await page.getByRole('textbox', { name: '搜索组织' }).fill(word);
  await page.getByTestId('org-count').filter({ hasText: `找到 ${total} 个组织` }).waitFor();
  // the export buttons carry the current search
  const csv = await page.getByTestId('export-csv').getAttribute('href');
  assert.equal(new URL(csv, app.base).searchParams.get('q'), word);
  assert.equal(new URL(csv, app.base).searchParams.get('format'), 'csv');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  await shot(page, '16-org-export');

  await page.getByRole('link', { name: org.name }).click();
  await page.getByRole('heading', { name: org.name }).waitFor();
  await page.getByRole('button', { name: '编辑' }).click();
  await page.getByRole('heading', { name: `编辑组织：${org.name}` }).waitFor();
  const before = (await staff.get(`/api/v1/orgs/${org.id}`)).body;
  const address = `解放路 ${100 + (Date.now() % 800)} 号`;
  await page.getByLabel('地址').fill(address);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('修改已保存').waitFor();
  assert.equal((await staff.get(`/api/v1/orgs/${org.id}`)).body.address, address);

  // staff cannot open the audit trail: the router sends them home
  await page.goto('/audit');
  await page.waitForURL((u) => u.pathname === '/');

  // an administrator, in another browser, finds the change in the audit trail
  const boss = await app.page();
  await signIn(boss, 'admin', PASSWORD);
  await navTo(boss, '系统管理', '审计');
  await boss.getByRole('heading', { name: '审计日志' }).waitFor();
  await settle(boss);
  await shot(boss, '50-audit');
  await choose(boss, '对象类型', '组织');
  await boss.getByRole('textbox', { name: '对象 ID' }).fill(String(org.id));
  await boss.getByRole('textbox', { name: '对象 ID' }).press('Enter');
  await boss.waitForURL((u) => u.searchParams.get('object_id') === String(org.id) && u.searchParams.get('object_type') === 'org');
  const row = boss.getByTestId('audit-table').locator('.el-table__row').filter({ hasText: '修改组织' }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /staff/);
  await row.locator('.el-table__expand-icon').click();
  const diff = boss.getByTestId('audit-diff').first();
  await diff.getByText('地址', { exact: true }).waitFor();
  await diff.getByText(address).waitFor();
  if (before.address) await diff.getByText(before.address).waitFor();
  await shot(boss, '51-audit-diff');

  await boss.getByTestId('audit-verify').click();
  const result = boss.getByTestId('audit-verify-result');
  await result.waitFor();
  assert.match(await result.innerText(), /审计链完好：共 \d+ 条记录/);
  await shot(boss, '52-audit-verify');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(boss.errors, []);
});

test('an organization administrator edits their own organization and cannot edit another', async () => {
  const me = await app.srv.login('orgadmin');
  const own = (await me.get('/api/v1/me')).body.org_ids[0];
  const { org: other } = await someOrg(own);
  const page = await app.page();
  await signIn(page, 'orgadmin', PASSWORD);
  await page.goto(`/orgs/${own}`);
  const edit = page.getByTestId('org-edit');
  await edit.waitFor();
  await edit.click();
  const contact = `联系人${Date.now() % 1000}`;
  await page.getByLabel('联系人').fill(contact);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('修改已保存').waitFor();
  assert.equal((await admin.get(`/api/v1/orgs/${own}`)).body.contact_person, contact);

  await page.goto(`/orgs/${other.id}`);
  await page.getByRole('heading', { name: other.name }).waitFor();
  await settle(page);
  assert.equal(await page.getByTestId('org-edit').count(), 0, 'no edit button on another organization');
  await shot(page, '17-orgadmin-other-org');
  // a crafted request with this session's CSRF token is refused all the same
  const status = await page.evaluate(async ({ id, version }) => {
    const meRes = await fetch('/api/v1/me');
    const token = (await meRes.json()).csrf_token;
    const res = await fetch(`/api/v1/orgs/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
      body: JSON.stringify({ address: '被篡改的地址', version }),
    });
    return res.status;
  }, { id: other.id, version: (await admin.get(`/api/v1/orgs/${other.id}`)).body.version });
  assert.equal(status, 403);
  assert.notEqual((await admin.get(`/api/v1/orgs/${other.id}`)).body.address, '被篡改的地址');
  // their navigation: no import, users or audit
  const nav = page.getByRole('navigation');
  await nav.getByText('人员', { exact: true }).waitFor();
  for (const name of ['导入', '用户管理', '审计']) assert.equal(await nav.getByText(name, { exact: true }).count(), 0, name);
});

test('people: search, masked phones for those without the right, detail, edit, link to an organization', async () => {
  // an organization member sees their organization's people with masked phones
  const oaApi = await app.srv.login('member');
  const masked = (await oaApi.get('/api/v1/people?per_page=100')).body.items.find((p) => p.pii === false && p.phone);
  assert.match(masked.phone, /^\d{3}\*{4}\d{4}$/);
  const oa = await app.page();
  await signIn(oa, 'member', PASSWORD);
  await oa.goto(`/people?q=${encodeURIComponent(masked.name)}`);
  const row = oa.getByTestId('people-table').locator('.el-table__row').filter({ hasText: masked.name }).first();
  await row.getByText(masked.phone).waitFor();

  const page = await app.page();
  await signIn(page, 'staff', PASSWORD);
  await navTo(page, '组织名录', '人员');
  await page.getByRole('heading', { name: '人员' }).waitFor();
  await settle(page);
  await shot(page, '20-people-list');
  const list = (await staff.get('/api/v1/people?per_page=100')).body.items;
  const person = list.find((p) => p.orgs.length === 1 && p.id_number);
  const first = person.name.slice(0, 1);
  const count = (await staff.get(`/api/v1/people?q=${encodeURIComponent(first)}&per_page=1`)).body.total;
  await page.getByRole('textbox', { name: '搜索人员' }).fill(first);
  await page.getByTestId('people-count').filter({ hasText: `找到 ${count} 人` }).waitFor();
  await page.getByRole('link', { name: person.name, exact: true }).first().click();
  await page.waitForURL(/\/people\/\d+$/);
  await page.getByTestId('person-name').waitFor();
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const shown = (await staff.get(`/api/v1/people/${id}`)).body;
  await page.getByTestId('person-orgs').getByRole('link', { name: shown.orgs[0].org_name }).waitFor();
  await shot(page, '21-person-detail');

  // the ID number is masked; one look shows it in full and is written to the audit trail
  {
    await page.getByTestId('person-field-id_number').filter({ hasText: shown.id_number }).waitFor();
    const looksBefore = (await admin.get(`/api/v1/audit?action=person.reveal_id_number&object_id=${id}`)).body.total;
    await page.getByTestId('reveal-id').click();
    await page.getByText('本次查看已记入审计日志').waitFor();
    const full = (await page.getByTestId('person-field-id_number').textContent()).trim();
    assert.match(full, /^\d{17}[\dX]$/);
    assert.equal(full.slice(-4), shown.id_number.slice(-4));
    assert.equal((await admin.get(`/api/v1/audit?action=person.reveal_id_number&object_id=${id}`)).body.total, looksBefore + 1);
  }

  // edit: a bad e-mail is refused on its field, then a note saves
  await page.getByRole('button', { name: '编辑' }).click();
  await page.getByRole('heading', { name: `编辑人员：${shown.name}` }).waitFor();
  await page.getByLabel('电子邮箱').fill('not-an-email');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByTestId('field-email').locator('.el-form-item__error').waitFor();
  await shot(page, '22-person-field-error');
  await page.getByLabel('电子邮箱').fill('');
  await page.getByLabel('备注').fill('e2e 备注');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('修改已保存').waitFor();
  await page.getByTestId('person-profile').getByText('e2e 备注').waitFor();
  assert.equal((await staff.get(`/api/v1/people/${id}`)).body.note, 'e2e 备注');

  // link to another organization, found by typing part of its name
  const { org, word } = await someOrg(shown.orgs[0].org_id);
  await page.getByTestId('person-link').click();
  const dialog = page.getByRole('dialog', { name: '关联到组织' });
  await dialog.getByRole('combobox', { name: '组织' }).click();
  await dialog.getByRole('combobox', { name: '组织' }).fill(word);
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: org.name, exact: true }).click();
  await dialog.getByLabel('职务').fill('理事');
  await shot(page, '23-person-link', { fullPage: false });
  await dialog.getByRole('button', { name: '保存' }).click();
  await page.getByTestId('person-orgs').getByRole('link', { name: org.name }).waitFor();
  const linked = (await staff.get(`/api/v1/people/${id}`)).body.orgs.find((o) => o.org_id === org.id);
  assert.equal(linked.role_title, '理事');
  assert.deepEqual(page.errors, []);
});
