// An announcement with read receipts, in a real browser: staff draft one for a chosen
// organization and publish it; a user of that organization finds it unread in their inbox,
// reads it and acknowledges (已阅); the staff member then sees the organization counted as read
// with its first reader. Also the inbox on a 375 px phone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { settle, shot, signIn, startApp } from './browser.mjs';

const PASSWORD = 'Tongxin@2026';
let app;
let orgName;
before(async () => {
  app = await startApp({ demo: true });
  const member = await app.srv.login('member');
  orgName = (await member.get(`/api/v1/orgs/${member.me.member_org_ids[0]}`)).body.name;
});
after(async () => app?.stop());

test('staff publish to a chosen organization, its member acknowledges, staff see it counted', async () => {
  const staff = await app.page();
  await signIn(staff, 'staff', PASSWORD);
  await staff.goto('/announcements');
  await staff.getByRole('heading', { name: '通知公告' }).waitFor();
  await settle(staff);
  await shot(staff, 'a1-announcements-sent');
  await staff.getByRole('button', { name: '起草通知' }).click();
  await staff.getByTestId('announce-title').fill('关于报送年度活动计划的通知');
  await staff.getByTestId('announce-body').fill('请于**本周五**前报送年度活动计划。\n\n- 活动名称\n- 时间地点');
  await staff.getByText('指定组织', { exact: true }).click();
  await staff.getByTestId('announce-orgs').click();
  await staff.keyboard.type(orgName.slice(0, 4));
  await staff.locator('.el-select-dropdown__item', { hasText: orgName }).first().click();
  await staff.keyboard.press('Escape');
  await staff.getByRole('tab', { name: '预览' }).click();
  await staff.locator('.markdown.preview strong', { hasText: '本周五' }).waitFor();
  await shot(staff, 'a2-announcement-compose-preview');
  await staff.getByTestId('announce-publish').click();
  await staff.getByRole('button', { name: /确定|OK/ }).click();
  await staff.getByTestId('read-count').waitFor();
  const id = staff.url().match(/announcements\/(\d+)/)[1];
  assert.equal((await staff.getByTestId('read-count').innerText()).trim().split(/\s+/).pop(), '0');

  const member = await app.page();
  await signIn(member, 'member', PASSWORD);
  await member.goto('/announcements');
  const item = member.getByTestId(`announcement-${id}`);
  await item.getByText('未读').waitFor();
  await settle(member);
  await shot(member, 'a3-announcement-inbox');
  await item.getByRole('link').click();
  await member.getByTestId('announce-body-html').locator('strong', { hasText: '本周五' }).waitFor();
  await member.getByTestId('ack').click();
  await member.getByTestId('acked').waitFor();
  await shot(member, 'a4-announcement-acknowledged');

  await staff.reload();
  await staff.getByTestId('read-count').waitFor();
  await settle(staff);
  assert.equal((await staff.getByTestId('read-count').innerText()).trim().split(/\s+/).pop(), '1');
  await staff.getByText('已读组织', { exact: true }).last().click();
  const row = staff.getByTestId('receipts').locator('tr', { hasText: orgName });
  await row.waitFor();
  assert.match(await row.innerText(), /组织成员 周婷/);
  await shot(staff, 'a5-announcement-receipts');
  assert.deepEqual([...staff.errors, ...member.errors], []);
});

test('the inbox works on a 375 px phone', async () => {
  const page = await app.page({ width: 375 });
  await signIn(page, 'member', PASSWORD);
  await page.goto('/announcements');
  await page.getByRole('heading', { name: '通知公告' }).waitFor();
  await settle(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no horizontal scrolling');
  await shot(page, 'a6-announcement-inbox-phone');
});
