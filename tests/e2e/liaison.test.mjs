// The liaison journey in a real browser: staff assign an officer to an organization on its 360°
// view → the officer logs a contact with a follow-up → once past its due date the follow-up
// shows in the overdue list. Screenshots for docs/user-guide/liaison.md (70-79).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { navTo, settle, shot, signIn, startApp } from './browser.mjs';

const PASSWORD = 'Tongxin@2026';
const day = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
let app;
let staff;
before(async () => {
  app = await startApp({ demo: true });
  staff = await app.srv.login('staff');
});
after(async () => app?.stop());

/** The input of the form item labelled `label` inside `scope`. */
const field = (scope, label) => scope.locator('.el-form-item').filter({ has: scope.page().locator(`label:text-is("${label}")`) }).locator('input, textarea').first();

async function pickDate(scope, label, value) {
  const input = field(scope, label);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

test('staff assign an officer, the officer logs a contact with a follow-up, and it shows overdue', async () => {
  const created = await staff.post('/api/v1/orgs', { name: '同心区晨曦社区服务中心', type: 'service_agency', street_code: '330602001000' });
  assert.equal(created.status, 201, created.text);
  const orgId = created.body.id;

  // staff: the organization's 360° view, tab 联络
  const page = await app.page();
  await signIn(page, 'staff', PASSWORD);
  await page.goto(`/orgs/${orgId}?tab=liaison`);
  await page.getByText('该组织尚未纳入联络（还没有联络员）').waitFor();
  const form = page.getByTestId('assign-form');
  await form.locator('.el-select').first().click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '联络员 陈静', exact: true }).click();
  await form.getByTestId('assign-submit').click();
  await page.getByTestId('officers').getByText('联络员 陈静').waitFor();
  await page.getByTestId('liaison-due').waitFor();
  await settle(page);
  await shot(page, '70-liaison-assign');

  // the officer: my organizations → the organization → log a contact with a follow-up
  const officer = await app.page();
  await signIn(officer, 'liaison', PASSWORD);
  await navTo(officer, '经常性沟通', '我的联络');
  await officer.getByTestId('my-orgs').getByRole('link', { name: '同心区晨曦社区服务中心' }).click();
  await officer.getByTestId('log-contact').click();
  const contact = officer.getByTestId('contact-form');
  await contact.getByText('走访', { exact: true }).click();
  await pickDate(contact, '联络日期', day(-20));
  await field(contact, '情况摘要').fill('走访中心，了解**助老服务**开展情况。');
  await field(contact, '组织反映的问题').fill('活动场地不足');
  await field(contact, '需要跟进的事项').fill('协调党群服务中心活动场地');
  await pickDate(contact, '跟进期限', day(-5));
  await shot(officer, '71-liaison-contact-form');
  await officer.getByTestId('contact-submit').click();
  await officer.getByText('联络记录已保存').waitFor();
  const history = officer.getByTestId('contact-history');
  await history.getByText('助老服务').waitFor();
  assert.equal(await history.locator('strong', { hasText: '助老服务' }).count(), 1, 'the summary is rendered from Markdown');
  await officer.getByTestId('open-followups').getByText('协调党群服务中心活动场地').waitFor();
  await settle(officer);
  await shot(officer, '72-liaison-history');

  // past its due date, the follow-up is in the officer's overdue list, and in staff's
  await navTo(officer, '经常性沟通', '超期提醒');
  await officer.getByTestId('overdue-followups-tab').click();
  const row = officer.getByTestId('overdue-followups').locator('tr', { hasText: '协调党群服务中心活动场地' });
  await row.waitFor();
  await row.getByText(`${day(-5)}`).waitFor();
  await row.getByText('超期 5 天').waitFor();
  await settle(officer);
  await shot(officer, '73-liaison-overdue-followups');

  const liaisonId = (await staff.get('/api/v1/liaison/candidates')).body.items.find((u) => u.username === 'liaison').id;
  await page.goto(`/liaison/overdue/followups?officer=${liaisonId}&per_page=100`);
  await page.getByTestId('overdue-followups').getByText('协调党群服务中心活动场地').waitFor();
  await page.goto('/liaison/overdue');
  await page.getByTestId('overdue-orgs').locator('tbody tr').first().waitFor();
  await settle(page);
  await shot(page, '74-liaison-overdue-orgs');
  assert.deepEqual([...page.errors, ...officer.errors], []);
});

test('staff read officers with workloads and the contact-frequency rules; the officer works from a phone', async () => {
  const page = await app.page();
  await signIn(page, 'staff', PASSWORD);
  await page.goto('/liaison/officers');
  await page.getByTestId('officers-list').getByText('联络员 陈静').waitFor();
  await settle(page);
  await shot(page, '75-liaison-officers');
  await page.goto('/liaison/rules');
  await page.getByTestId('rules').getByText('区默认：每季度').waitFor();
  await page.getByTestId('rule-add').click();
  const dialog = page.getByTestId('rule-form');
  await field(dialog, '名称').fill('基金会：每两月');
  await dialog.locator('.el-form-item').filter({ hasText: '组织类型' }).locator('.el-select').click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '基金会', exact: true }).click();
  await field(dialog, '周期（天）').fill('60');
  await shot(page, '76-liaison-rule-form', { fullPage: false });
  await page.getByTestId('rule-save').click();
  await page.getByTestId('rules').getByText('基金会：每两月').waitFor();
  const rules = (await staff.get('/api/v1/liaison/rules')).body.items;
  assert.equal(rules.find((r) => r.name === '基金会：每两月').interval_days, 60);
  await shot(page, '77-liaison-rules');

  const phone = await app.page({ width: 375 });
  await signIn(phone, 'liaison', PASSWORD);
  await phone.goto('/liaison');
  await phone.getByTestId('workload').waitFor();
  await phone.getByTestId('my-orgs').locator('tbody tr').first().waitFor();
  await settle(phone);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `no sideways scrolling on a phone (${width}px)`);
  await shot(phone, '78-liaison-mine-phone');
  assert.deepEqual([...page.errors, ...phone.errors], []);
});
