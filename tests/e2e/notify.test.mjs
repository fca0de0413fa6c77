// A notification appears in a signed-in browser without reloading: the bell's count goes up
// and the notifications page shows it at the top, live over Server-Sent Events.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, signIn, startApp } from './browser.mjs';

let app;
before(async () => {
  // the robot below points at a local port: robots may post only to their official hosts,
  // or to what this test-only setting adds
  app = await startApp({ env: { TONGXIN_TEST_ALLOW_ROBOT_HOSTS: '127.0.0.1:9' } });
  for (const [name, role] of [['zhou', 'resident'], ['boss', 'admin']]) {
    const add = app.srv.cli(['user', 'add', name, '--name', name === 'zhou' ? '周婷' : '王主任', '--role', role, '--password', 'Secret2026x']);
    assert.equal(add.status, 0, add.stderr);
  }
});
after(async () => app?.stop());

test('a notification sent by someone else appears in the open page without a reload', async () => {
  const page = await app.page();
  await signIn(page, 'zhou', 'Secret2026x');
  await page.goto('/notifications');
  await page.getByText('暂无通知').waitFor();
  const bell = page.locator('[data-test="notify-bell"]');
  await assert.doesNotReject(bell.waitFor());
  const navigations = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });

  const sent = app.srv.cli(['notify', 'test', 'zhou', '--message', '请查看新的联席会议安排']);
  assert.equal(sent.status, 0, sent.stderr);
  await page.getByText('请查看新的联席会议安排').waitFor({ timeout: 5000 });
  await bell.locator('.el-badge__content', { hasText: '1' }).waitFor();
  assert.equal(await bell.getAttribute('aria-label'), '通知，1 条未读');
  assert.deepEqual(navigations, [], 'the page was not reloaded');
  await shot(page, 'notify-01-live');

  await page.getByRole('button', { name: '标为已读', exact: true }).click();
  await bell.locator('.el-badge__content').waitFor({ state: 'hidden' });
  assert.deepEqual(page.errors, []);
});

test('on a phone the bell and the list fit the screen', async () => {
  const page = await app.page({ width: 375 });
  await signIn(page, 'zhou', 'Secret2026x');
  await page.goto('/notifications');
  await page.locator('[data-test="notification"]').first().waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `no sideways scrolling (${width})`);
  await shot(page, 'notify-02-phone');
});

test('the administrator sets up a robot and sees failed deliveries', async () => {
  const page = await app.page();
  await signIn(page, 'boss', 'Secret2026x');
  await page.goto('/notify/settings');
  await page.getByText('还没有群机器人').waitFor();
  await page.locator('[data-test="robot-add"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('名称').fill('社区群');
  await dialog.getByLabel('Webhook 地址').fill('http://127.0.0.1:9/send?key=secretkey123');
  await dialog.getByPlaceholder('board:12').fill('board:1');
  await dialog.getByRole('button', { name: '保存' }).click();
  await page.locator('[data-test="robots"]').getByText('社区群').waitFor();
  assert.equal(await page.getByText('secretkey123').count(), 0, 'the key is masked');
  await shot(page, 'notify-03-robots');
  await page.getByRole('tab', { name: '发送失败' }).click();
  await page.getByText('没有发送失败的消息').waitFor();
  assert.deepEqual(page.errors, []);
});
