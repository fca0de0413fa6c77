// The meetings journey of issue 4, in a real browser on the demo district: staff schedule a
// monthly joint meeting and invite an organization → its delegate answers (on a phone) → checks
// in through the QR link → staff record minutes and an action item → the item, already past its
// due date, shows as overdue to the delegate and in the organization's meeting tab.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { navTo, settle, shot, signIn, startApp } from './browser.mjs';

const PASSWORD = 'Tongxin@2026';
let app;
let staff;
let org;
before(async () => {
  app = await startApp({ demo: 20 });
  staff = await app.srv.login('staff');
  const member = await app.srv.login('member');
  const me = (await member.get('/api/v1/me')).body;
  const id = (me.member_org_ids || me.orgs?.map((o) => o.id) || [])[0];
  org = id ? (await staff.get(`/api/v1/orgs/${id}`)).body
    : (await staff.get('/api/v1/orgs?sort=created&per_page=1')).body.items[0];
});
after(async () => app?.stop());

const pad = (n) => String(n).padStart(2, '0');
function localDay(days) {
  const d = new Date(Date.now() + 8 * 3600e3 + days * 86400e3);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

test('schedule a monthly joint meeting, invite, RSVP, QR check-in, minutes and an overdue action item', async () => {
  const page = await app.page();
  await signIn(page, 'staff', PASSWORD);
  await navTo(page, '经常性沟通', '会议活动');
  await page.getByTestId('meeting-list').waitFor();
  await shot(page, 'meetings-01-list');
  await page.getByTestId('meeting-new').click();

  // the form: title, first start, "monthly on the nth weekday"
  await page.getByLabel('名称').fill('街道社会组织月度联席会议');
  await page.getByLabel('首场开始时间（北京时间）').fill(`${localDay(3)}T14:30`);
  await page.getByRole('combobox', { name: '重复' }).click({ force: true });
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '每月第 N 个星期几', exact: true }).click();
  await page.getByTestId('rrule').filter({ hasText: /FREQ=MONTHLY;BYDAY=-?\d[A-Z]{2}/ }).waitFor();
  await page.getByLabel('地点').fill('区政务中心三楼会议室');
  await shot(page, 'meetings-02-form');
  await page.getByTestId('meeting-save').click();
  await page.getByTestId('meeting-title').filter({ hasText: '街道社会组织月度联席会议' }).waitFor();
  const meetingId = Number(page.url().match(/meetings\/(\d+)/)[1]);
  const meeting = (await staff.get(`/api/v1/meetings/${meetingId}`)).body;
  assert.match(meeting.rrule, /^FREQ=MONTHLY;BYDAY=-?\d[A-Z]{2}$/);

  // invite the delegate's organization, found by its name
  const picker = page.getByRole('combobox', { name: '邀请组织' });
  await picker.click();
  await picker.fill(org.name);
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: org.name, exact: true }).click();
  await page.getByTestId('invite-org').click();
  await page.getByTestId('invitations').getByRole('link', { name: org.name }).waitFor();
  await settle(page);
  await shot(page, 'meetings-03-detail');

  // the delegate answers on a phone
  const phone = await app.page({ width: 375 });
  await signIn(phone, 'member', PASSWORD);
  await phone.goto(`/meetings/${meetingId}`);
  const occurrences = phone.getByTestId('occurrences');
  const first = occurrences.locator('[data-occurrence]').first();
  const occId = Number(await first.getAttribute('data-occurrence'));
  await first.getByText('参加', { exact: true }).click();
  await phone.getByText('参加', { exact: true }).first().waitFor();
  await settle(phone);
  await shot(phone, 'meetings-04-rsvp-phone');
  const answered = (await staff.get(`/api/v1/meetings/${meetingId}/invitations`)).body.rsvps;
  assert.ok(answered.some((r) => r.occurrence_id === occId && r.response === 'yes'), JSON.stringify(answered));

  // staff print the QR code; the delegate opens its link
  await page.goto(`/occurrences/${occId}/qr`);
  await page.getByTestId('qr').waitFor();
  const link = (await page.getByTestId('checkin-link').textContent()).trim();
  assert.match(link, /^\/checkin\/[0-9a-f]{32}$/);
  const svg = await staff.get(`/api/v1/occurrences/${occId}/qr.svg`);
  assert.match(svg.text, /<svg/);
  await shot(page, 'meetings-05-qr');
  await phone.goto(link);
  await phone.getByTestId('checkin-result').filter({ hasText: '签到成功' }).waitFor();
  await shot(phone, 'meetings-06-checkin-phone');
  await phone.goto(link);
  await phone.getByTestId('checkin-result').filter({ hasText: '您已签到过了' }).waitFor();

  // staff record minutes and an action item whose due date has passed
  await page.goto(`/occurrences/${occId}`);
  await page.getByTestId('attendance').getByText('组织成员 周婷').waitFor();
  await page.getByLabel('会议纪要').fill('## 会议纪要\n\n**议定**：各成员单位月底前提交助餐点选址建议。');
  await page.getByTestId('save-minutes').click();
  await page.getByTestId('minutes').locator('strong', { hasText: '议定' }).waitFor();
  const form = page.getByTestId('action-form');
  const owner = form.getByRole('combobox', { name: '负责组织' });
  const add = form.getByRole('button', { name: '添加决议事项' });
  // The organization picker searches the server as one types; on a busy machine a late answer
  // can replace the options under the click. Choose again until the form is complete (the
  // button enables only with a title, an owner and a due date).
  for (let attempt = 0; attempt < 3; attempt++) {
    await form.getByLabel('添加决议事项').fill('提交助餐点选址建议');
    await owner.click();
    await owner.fill(org.name);
    await page.locator('.el-select-dropdown:visible').getByRole('option', { name: org.name, exact: true }).click();
    await form.getByLabel('完成期限').fill(localDay(-1));
    await page.waitForTimeout(300);
    if (await add.isEnabled()) break;
  }
  await add.click();
  await page.getByTestId('action-items').getByText('提交助餐点选址建议').waitFor();
  await page.getByTestId('action-items').getByTestId('overdue').first().waitFor();
  await shot(page, 'meetings-07-occurrence');

  // the delegate sees it overdue; the organization's meeting tab counts the attendance
  await phone.goto('/meeting-actions');
  await phone.getByTestId('overdue-only').click();
  const item = phone.getByTestId('action-items').locator('[data-action]').filter({ hasText: '提交助餐点选址建议' });
  await item.getByText('已逾期').waitFor();
  await shot(phone, 'meetings-08-overdue-phone');
  await page.goto(`/orgs/${org.id}?tab=meetings`);
  await page.getByTestId('org-attendance').waitFor();
  await page.getByRole('link', { name: '街道社会组织月度联席会议' }).waitFor();
  await shot(page, 'meetings-09-org-tab');

  assert.deepEqual(page.errors, []);
  assert.deepEqual(phone.errors, []);
});
