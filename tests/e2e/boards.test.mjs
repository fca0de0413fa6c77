// Exchange boards in a real browser: a member starts a thread on a field board with an
// @mention chosen from the suggestions; another user finds it by a two-character Chinese word
// in the search page; a moderator hides a reply with a reason, which others see as
// "已被管理员隐藏：原因". A reply carries an attached file that others download; a new thread
// carries one from its composer; a demo post's file downloads. Also the board list on a 375 px
// phone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settle, shot, signIn, startApp } from './browser.mjs';

const PASSWORD = 'Tongxin@2026';
let app;
const dataDir = mkdtempSync(join(tmpdir(), 'tx-e2e-data-'));
before(async () => { app = await startApp({ demo: true, dataDir }); });
after(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a post with a two-character Chinese word is found by search', async () => {
  const member = await app.page();
  await signIn(member, 'member', PASSWORD);
  await member.goto('/boards');
  await member.getByRole('link', { name: /教育领域交流/ }).click();
  await member.getByTestId('new-thread').click();
  await member.getByTestId('thread-title').fill('周末剪纸兴趣班招募志愿者');
  await member.getByTestId('thread-body').fill('本周六下午在社区活动室开设**剪纸**兴趣班，需要两名志愿者。@orgad');
  await member.getByRole('option', { name: /@orgadmin/ }).click();
  assert.match(await member.getByTestId('thread-body').inputValue(), /@orgadmin $/);
  await shot(member, 'b1-thread-compose-mention');
  await member.getByTestId('thread-publish').click();
  await member.getByRole('heading', { name: /周末剪纸兴趣班/ }).waitFor();
  await settle(member);
  await shot(member, 'b2-thread');

  const resident = await app.page();
  await signIn(resident, 'resident', PASSWORD);
  await resident.goto('/boards/search');
  await resident.getByTestId('search-q').fill('剪纸');
  const hit = resident.getByTestId('search-results').getByRole('link', { name: '周末剪纸兴趣班招募志愿者' });
  await hit.waitFor();
  await settle(resident);
  await shot(resident, 'b3-board-search');
  await hit.click();
  await resident.getByRole('heading', { name: /周末剪纸兴趣班/ }).waitFor();
  assert.deepEqual([...member.errors, ...resident.errors], []);
});

test('a moderator hides a reply with a reason; others see the reason instead of the text', async () => {
  const api = await app.srv.login('expert');
  const boards = (await api.get('/api/v1/boards')).body.items;
  const board = boards.find((b) => b.name === '社会服务交流');
  const th = await api.post(`/api/v1/boards/${board.id}/threads`, { title: '助餐点食材采购', body: '大家在哪里采购？' });
  await api.post(`/api/v1/threads/${th.body.id}/posts`, { body: '加微信了解低价货源' });
  const staff = await app.page();
  await signIn(staff, 'staff', PASSWORD);
  await staff.goto(`/boards/threads/${th.body.id}`);
  const reply = staff.locator('article.post', { hasText: '加微信了解低价货源' });
  await reply.getByRole('button', { name: '隐藏' }).click();
  await staff.locator('.el-message-box input').fill('疑似广告');
  await staff.getByRole('button', { name: /确定|OK/ }).click();
  await reply.getByText('已隐藏：疑似广告').waitFor();
  await shot(staff, 'b4-moderator-hidden');
  const other = await app.page();
  await signIn(other, 'member', PASSWORD);
  await other.goto(`/boards/threads/${th.body.id}`);
  await other.getByText('已被管理员隐藏：疑似广告').waitFor();
  assert.equal(await other.getByText('加微信了解低价货源').count(), 0);
});

test('a reply with an attached file: the file shows on the post and another user downloads it', async () => {
  const api = await app.srv.login('expert');
  const board = (await api.get('/api/v1/boards')).body.items.find((b) => b.name === '社会服务交流');
  const th = await api.post(`/api/v1/boards/${board.id}/threads`, { title: '助老活动方案征集', body: '请大家分享方案。' });
  const member = await app.page();
  await signIn(member, 'member', PASSWORD);
  await member.goto(`/boards/threads/${th.body.id}`);
  await member.getByTestId('reply-body').fill('我们的方案见附件。');
  await member.getByTestId('reply-files').locator('input[type=file]').setInputFiles({
    name: '助老活动方案.txt', mimeType: 'text/plain', buffer: Buffer.from('一、活动时间：每周三上午\n二、地点：社区活动室\n'),
  });
  await member.getByText('助老活动方案.txt').waitFor();
  await shot(member, 'b7-reply-with-file');
  await member.getByTestId('reply-send').click();
  const files = member.locator('article.post', { hasText: '我们的方案见附件' }).getByTestId('post-files');
  await files.getByRole('link', { name: /助老活动方案\.txt/ }).waitFor();
  assert.match(await files.innerText(), /1 KB · TXT/);
  await settle(member);
  await shot(member, 'b8-post-files');

  const other = await app.page();
  await signIn(other, 'resident', PASSWORD);
  await other.goto(`/boards/threads/${th.body.id}`);
  const link = other.locator('article.post', { hasText: '我们的方案见附件' }).getByRole('link', { name: /助老活动方案\.txt/ });
  const [download] = await Promise.all([other.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), '助老活动方案.txt');
  assert.equal(await other.getByRole('button', { name: '删除附件' }).count(), 0, 'only the author removes files');
  assert.deepEqual([...member.errors, ...other.errors], []);
});

test('a new thread carries a file from its composer; a demo post\'s file downloads', async () => {
  const member = await app.page();
  await signIn(member, 'member', PASSWORD);
  await member.goto('/boards');
  await member.getByRole('link', { name: /社会服务交流/ }).click();
  await member.getByTestId('new-thread').click();
  await member.getByTestId('thread-title').fill('助餐点下周菜单征求意见');
  await member.getByTestId('thread-body').fill('下周菜单见附件，欢迎提意见。');
  await member.getByTestId('thread-files').locator('input[type=file]').setInputFiles({
    name: '下周菜单.md', mimeType: 'text/markdown', buffer: Buffer.from('# 下周菜单\n\n- 周一：番茄炒蛋\n- 周二：清蒸鱼\n'),
  });
  await member.getByText('下周菜单.md').waitFor();
  await member.getByTestId('thread-publish').click();
  const opening = member.locator('article.post', { hasText: '下周菜单见附件' }).getByTestId('post-files');
  await opening.getByRole('link', { name: /下周菜单\.md/ }).waitFor();
  const [mine] = await Promise.all([member.waitForEvent('download'), opening.getByRole('link', { name: /下周菜单\.md/ }).click()]);
  assert.equal(mine.suggestedFilename(), '下周菜单.md');

  await member.goto('/boards');
  await member.getByRole('link', { name: /社会服务交流/ }).click();
  await member.getByRole('link', { name: /养老助餐点运营成本讨论/ }).click();
  const demo = member.locator('article.post').first().getByTestId('post-files');
  const link = demo.getByRole('link', { name: /助餐点运营成本统计表\.txt/ });
  await link.waitFor();
  await settle(member);
  await shot(member, 'b9-demo-post-files');
  const [download] = await Promise.all([member.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), '助餐点运营成本统计表.txt');
  assert.deepEqual(member.errors, []);
});

test('the boards work on a 375 px phone', async () => {
  const page = await app.page({ width: 375 });
  await signIn(page, 'member', PASSWORD);
  await page.goto('/boards');
  await page.getByRole('link', { name: /教育领域交流/ }).waitFor();
  await settle(page);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false);
  await shot(page, 'b5-boards-phone');
  await page.goto('/messages');
  await page.getByRole('heading', { name: '私信' }).waitFor();
  await settle(page);
  await shot(page, 'b6-messages-phone');
});
