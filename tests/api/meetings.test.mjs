// Meetings through the API: a monthly joint meeting with a recurrence rule, invitations to an
// organization, RSVP, QR check-in, attendance rate, minutes, action items that carry over and
// become overdue, cancelled and moved occurrences in the .ics, the calendar feed, the waitlist
// of a public event, attachments, and who may do what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './harness.mjs';

let srv, admin, staff, street, orgadmin, member, resident, expert;
let ownOrg;
let meeting;

const pad = (n) => String(n).padStart(2, '0');
// a local (Asia/Shanghai) "YYYY-MM-DDTHH:MM" `days` from now
function local(days, hm = '14:30') {
  const d = new Date(Date.now() + 8 * 3600e3 + days * 86400e3);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${hm}`;
}
const today = (days = 0) => local(days).slice(0, 10);

before(async () => {
  srv = await startServer({ demo: 20, env: { TONGXIN_FILES_DIR: mkdtempSync(join(tmpdir(), 'tx-files-')) } });
  [admin, staff, street, orgadmin, member, resident, expert] = await Promise.all(
    ['admin', 'staff', 'street', 'orgadmin', 'member', 'resident', 'expert'].map((u) => srv.login(u)));
  const me = await member.get('/api/v1/me');
  ownOrg = (me.body.member_org_ids || me.body.orgs?.map((o) => o.id) || [])[0];
  if (!ownOrg) {
    const first = await admin.get('/api/v1/orgs?sort=created&per_page=1');
    ownOrg = first.body.items[0].id;
  }
});
after(async () => { await srv.stop(); });

test('recurrence rules are validated with a clear field error', async () => {
  const base = { kind: 'joint_meeting', title: '测试', dtstart: local(1) };
  for (const [rrule, key] of [['FREQ=SOMETIMES', '重复规则无法识别'], ['FREQ=HOURLY', '按秒、分钟或小时'],
    ['FREQ=DAILY;BYHOUR=9,15', '超过 500'], ['not a rule', '重复规则无法识别']]) {
    const res = await staff.post('/api/v1/meetings', { ...base, rrule });
    assert.equal(res.status, 422, rrule);
    const e = res.body.errors.find((x) => x.field === 'rrule');
    assert.ok(e && e.message.includes(key), `${rrule}: ${JSON.stringify(res.body.errors)}`);
  }
  const bad = await staff.post('/api/v1/meetings', { kind: 'party', title: '', dtstart: '2026-02-30T10:00' }, { invalid: true });
  assert.equal(bad.status, 422);
  for (const f of ['kind', 'title', 'dtstart']) assert.ok(bad.body.errors.some((e) => e.field === f), f);
});

test('staff schedule a monthly joint meeting; occurrences are materialized a year ahead', async () => {
  const res = await staff.post('/api/v1/meetings', {
    kind: 'joint_meeting', title: '月度联席会议（测试）', dtstart: local(-75, '14:30'),
    rrule: 'RRULE:FREQ=MONTHLY;INTERVAL=1', duration_minutes: 90, location: '区政务中心',
  });
  assert.equal(res.status, 201, res.text);
  meeting = res.body;
  assert.equal(meeting.rrule, 'FREQ=MONTHLY;INTERVAL=1');
  const occ = await staff.get(`/api/v1/meetings/${meeting.id}/occurrences`);
  assert.equal(occ.status, 200);
  assert.ok(occ.body.items.length >= 14 && occ.body.items.length <= 16, `${occ.body.items.length} occurrences`);
  assert.ok(occ.body.items.every((o) => o.starts_local.endsWith('T14:30')), 'local time kept');
  const starts = occ.body.items.map((o) => o.starts_at);
  assert.deepEqual([...starts].sort((a, b) => a - b), starts);
  // a street staff member may not manage a district meeting; a resident may not create one
  assert.equal((await street.patch(`/api/v1/meetings/${meeting.id}`, { title: 'x', version: 1 })).status, 403);
  assert.equal((await resident.post('/api/v1/meetings', { kind: 'forum', title: 'x', dtstart: local(3) })).status, 403);
});

test('a private meeting is hidden from those not invited until their organization is invited', async () => {
  assert.equal((await member.get(`/api/v1/meetings/${meeting.id}`)).status, 404);
  const inv = await staff.post(`/api/v1/meetings/${meeting.id}/invitations`, { org_ids: [ownOrg] });
  assert.equal(inv.status, 200, inv.text);
  assert.equal(inv.body.added, 1);
  const again = await staff.post(`/api/v1/meetings/${meeting.id}/invitations`, { org_ids: [ownOrg] });
  assert.equal(again.body.added, 0, 'inviting twice adds nothing');
  const seen = await member.get(`/api/v1/meetings/${meeting.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.invited, true);
  const mine = await member.get('/api/v1/meetings?mine=1');
  assert.ok(mine.body.items.some((m) => m.id === meeting.id));
  assert.equal((await resident.get(`/api/v1/meetings/${meeting.id}`)).status, 404);
  const unknown = await staff.post(`/api/v1/meetings/${meeting.id}/invitations`, { org_ids: [99999999] });
  assert.equal(unknown.status, 422);
  const filter = await staff.post(`/api/v1/meetings/${meeting.id}/invitations`, { street_code: '330602001000' });
  assert.equal(filter.status, 200);
  assert.ok(filter.body.items.length > 1, 'the filter resolved to organizations of the street');
});

test('a delegate answers, checks in through the QR link (idempotent) and the attendance rate follows', async () => {
  const occ = (await member.get(`/api/v1/meetings/${meeting.id}/occurrences`)).body.items;
  const past = occ.filter((o) => o.starts_at < Date.now() / 1000);
  const last = past[past.length - 1];
  const rsvp = await member.post(`/api/v1/meetings/${meeting.id}/rsvp`, { response: 'yes', occurrence_id: last.id });
  assert.equal(rsvp.status, 200, rsvp.text);
  assert.equal(rsvp.body.place, 'confirmed');
  assert.equal((await member.post(`/api/v1/meetings/${meeting.id}/rsvp`, { response: 'perhaps' }, { invalid: true })).status, 422);

  const detail = await staff.get(`/api/v1/occurrences/${last.id}`);
  const path = detail.body.checkin_path;
  assert.match(path, /^\/checkin\/[0-9a-f]{32}$/);
  assert.equal((await member.get(`/api/v1/occurrences/${last.id}`)).body.checkin_path, undefined, 'the token is for staff only');
  const qr = await staff.get(`/api/v1/occurrences/${last.id}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.match(qr.headers.get('content-type'), /image\/svg\+xml/);
  assert.match(qr.text, /<svg[\s\S]*<path/);
  assert.equal((await member.get(`/api/v1/occurrences/${last.id}/qr.svg`)).status, 403);

  const token = path.split('/').pop();
  const first = await member.post(`/api/v1/checkin/${token}`, {});
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.already, false);
  assert.equal(first.body.checked_in, true);
  const second = await member.post(`/api/v1/checkin/${token}`, {});
  assert.equal(second.body.already, true);
  assert.equal((await resident.post(`/api/v1/checkin/${token}`, {})).status, 403);
  assert.equal((await member.post('/api/v1/checkin/0123456789abcdef', {})).status, 404);

  const att = await staff.get(`/api/v1/occurrences/${last.id}/attendance`);
  assert.equal(att.body.items.length, 1);
  assert.equal(att.body.items[0].org_id, ownOrg);
  const rate = await orgadmin.get(`/api/v1/orgs/${ownOrg}/attendance`);
  assert.equal(rate.status, 200);
  assert.ok(rate.body.expected >= past.length, JSON.stringify(rate.body));
  assert.ok(rate.body.attended >= 1);
  assert.ok(rate.body.meetings.some((m) => m.id === meeting.id));
  assert.equal((await resident.get(`/api/v1/orgs/${ownOrg}/attendance`)).status, 403);
  // manual check-in by staff
  const manual = await staff.post(`/api/v1/occurrences/${past[0].id}/attendance`, { user_id: orgadmin.me.id });
  assert.equal(manual.status, 200, manual.text);
  assert.equal(manual.body.already, false);
});

test('minutes are stored as Markdown and rendered without raw HTML; action items carry over and go overdue', async () => {
  const occ = (await staff.get(`/api/v1/meetings/${meeting.id}/occurrences`)).body.items;
  const past = occ.filter((o) => o.starts_at < Date.now() / 1000);
  const last = past[past.length - 1];
  const next = occ.find((o) => o.starts_at > Date.now() / 1000);
  assert.equal((await staff.post(`/api/v1/occurrences/${last.id}/agenda`, { title: '助餐点选址' })).status, 201);
  const md = '## 纪要\n\n**一致同意**选址方案。<script>alert(1)</script>';
  const min = await staff.put(`/api/v1/occurrences/${last.id}/minutes`, { markdown: md });
  assert.equal(min.status, 200, min.text);
  assert.equal(min.body.minutes_markdown, md);
  assert.match(min.body.minutes_html, /<strong>一致同意<\/strong>/);
  assert.doesNotMatch(min.body.minutes_html, /<script/);
  assert.equal((await member.put(`/api/v1/occurrences/${last.id}/minutes`, { markdown: 'x' })).status, 403);

  const act = await staff.post(`/api/v1/occurrences/${last.id}/actions`, { title: '提交选址方案', due_on: today(-2), owner_org_id: ownOrg });
  assert.equal(act.status, 201, act.text);
  assert.equal(act.body.overdue, true);
  const later = await staff.post(`/api/v1/occurrences/${last.id}/actions`, { title: '汇总资源清单', due_on: today(30), owner_org_id: ownOrg });
  assert.equal(later.body.overdue, false);
  const both = await staff.post(`/api/v1/occurrences/${last.id}/actions`, { title: 'x', due_on: today(1), owner_org_id: ownOrg, owner_user_id: 1 });
  assert.equal(both.status, 422);

  const carried = (await member.get(`/api/v1/occurrences/${next.id}`)).body.carried_over.map((a) => a.id);
  assert.ok(carried.includes(act.body.id) && carried.includes(later.body.id), 'open items are on the next agenda');

  const overdue = await member.get('/api/v1/meeting-actions?overdue=1');
  assert.deepEqual(overdue.body.items.filter((a) => a.meeting_id === meeting.id).map((a) => a.id), [act.body.id]);
  assert.equal((await resident.get('/api/v1/meeting-actions?overdue=1')).body.items.length, 0, 'not the resident\'s');
  const staffView = await staff.get('/api/v1/meeting-actions?overdue=1');
  assert.ok(staffView.body.items.some((a) => a.id === act.body.id));

  const run1 = srv.cli(['tasks', 'run', 'meetings.overdue']);
  assert.equal(run1.status, 0, run1.stderr);
  assert.match(run1.stdout, /meetings\.overdue: [1-9]/);
  const run2 = srv.cli(['tasks', 'run', 'meetings.overdue']);
  assert.match(run2.stdout, /meetings\.overdue: 0/, 'each item is reminded once');

  // the owner closes it; it leaves the next agenda
  assert.equal((await resident.patch(`/api/v1/meeting-actions/${act.body.id}`, { status: 'done', version: 1 })).status, 403);
  assert.equal((await member.patch(`/api/v1/meeting-actions/${act.body.id}`, { due_on: today(9), version: 1 })).status, 403);
  const done = await member.patch(`/api/v1/meeting-actions/${act.body.id}`, { status: 'done', version: 1 });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.body.status, 'done');
  assert.equal((await member.patch(`/api/v1/meeting-actions/${act.body.id}`, { status: 'done', version: 1 })).status, 409);
  const after = (await member.get(`/api/v1/occurrences/${next.id}`)).body.carried_over.map((a) => a.id);
  assert.ok(!after.includes(act.body.id) && after.includes(later.body.id));
});

test('a cancelled and a moved occurrence appear as EXDATE and RECURRENCE-ID in a valid .ics', async () => {
  const occ = (await staff.get(`/api/v1/meetings/${meeting.id}/occurrences`)).body.items;
  const future = occ.filter((o) => o.starts_at > Date.now() / 1000);
  const cancel = await staff.patch(`/api/v1/occurrences/${future[1].id}`, { status: 'cancelled' });
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.body.status, 'cancelled');
  const movedTo = future[2].starts_local.slice(0, 10) + 'T09:00';
  const move = await staff.patch(`/api/v1/occurrences/${future[2].id}`, { starts_at: movedTo });
  assert.equal(move.body.starts_local, movedTo);
  assert.equal(move.body.moved, true);
  assert.equal((await member.post(`/api/v1/meetings/${meeting.id}/rsvp`, { response: 'yes', occurrence_id: future[1].id })).status, 409);

  const ics = await member.get(`/api/v1/meetings/${meeting.id}/calendar.ics`);
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /text\/calendar/);
  const text = ics.text;
  assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n') && text.endsWith('END:VCALENDAR\r\n'));
  assert.ok(!/[^\r]\n/.test(text), 'every line ends in CRLF');
  for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
  const unfolded = text.replace(/\r\n /g, '');
  assert.match(unfolded, /RRULE:FREQ=MONTHLY;INTERVAL=1/);
  assert.match(unfolded, /UID:meeting-\d+@tongxin/);
  assert.match(unfolded, /DTSTAMP:\d{8}T\d{6}Z/);
  assert.match(unfolded, /DTSTART;TZID=Asia\/Shanghai:\d{8}T143000/);
  assert.match(unfolded, new RegExp(`EXDATE;TZID=Asia/Shanghai:${future[1].starts_local.replace(/[-:]/g, '')}00`));
  assert.match(unfolded, new RegExp(`RECURRENCE-ID;TZID=Asia/Shanghai:${future[2].starts_local.replace(/[-:]/g, '')}00`));
  assert.match(unfolded, new RegExp(`DTSTART;TZID=Asia/Shanghai:${movedTo.replace(/[-:]/g, '')}00`));
  assert.equal((await resident.get(`/api/v1/meetings/${meeting.id}/calendar.ics`)).status, 404);
});

test('the calendar feed needs no session: the token is the credential, and rotating it revokes the old one', async () => {
  const t1 = await member.post('/api/v1/calendar/token', {});
  assert.equal(t1.status, 201);
  const anon = srv.client();
  const feed = await anon.get(t1.body.path);
  assert.equal(feed.status, 200);
  assert.match(feed.text.replace(/\r\n /g, ''), new RegExp(`UID:meeting-${meeting.id}@tongxin`));
  const t2 = await member.post('/api/v1/calendar/token', {});
  assert.equal((await anon.get(t1.body.path)).status, 404);
  assert.equal((await anon.get(t2.body.path)).status, 200);
});

test('a public event with a capacity keeps a waitlist and promotes the first waiting person', async () => {
  const ev = await staff.post('/api/v1/meetings', { kind: 'forum', title: '公益论坛', dtstart: local(10), capacity: 1, is_public: true });
  assert.equal(ev.status, 201, ev.text);
  const occ = (await resident.get(`/api/v1/meetings/${ev.body.id}/occurrences`)).body.items;
  assert.equal(occ.length, 1);
  const series = await resident.post(`/api/v1/meetings/${ev.body.id}/rsvp`, { response: 'yes' });
  assert.equal(series.status, 422, 'places are per occurrence');
  const a = await resident.post(`/api/v1/meetings/${ev.body.id}/rsvp`, { response: 'yes', occurrence_id: occ[0].id });
  const b = await expert.post(`/api/v1/meetings/${ev.body.id}/rsvp`, { response: 'yes', occurrence_id: occ[0].id });
  assert.equal(a.body.place, 'confirmed');
  assert.equal(b.body.place, 'waitlisted');
  await resident.post(`/api/v1/meetings/${ev.body.id}/rsvp`, { response: 'no', occurrence_id: occ[0].id });
  const view = await expert.get(`/api/v1/occurrences/${occ[0].id}`);
  assert.equal(view.body.my_place, 'confirmed', 'promoted when the place freed');
});

test('attachments: allowed types by content, downloads as attachments for those who may see the meeting', async () => {
  const occ = (await staff.get(`/api/v1/meetings/${meeting.id}/occurrences`)).body.items[0];
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n');
  const up = await staff.request('POST', `/api/v1/occurrences/${occ.id}/files`, undefined,
    { raw: pdf, headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': encodeURIComponent('会议材料.pdf') } });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.mime, 'application/pdf');
  assert.equal(up.body.filename, '会议材料.pdf');
  const down = await member.get(`/api/v1/files/${up.body.id}`);
  assert.equal(down.status, 200);
  assert.deepEqual(down.bytes, pdf);
  assert.match(down.headers.get('content-disposition'), /^attachment;.*filename\*=UTF-8''%E4%BC%9A/);
  assert.equal(down.headers.get('x-content-type-options'), 'nosniff');
  assert.equal((await resident.get(`/api/v1/files/${up.body.id}`)).status, 404);
  const exe = await staff.request('POST', `/api/v1/occurrences/${occ.id}/files`, undefined,
    { raw: Buffer.from('MZ\x90\x00binary'), headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': 'x.pdf' } });
  assert.equal(exe.status, 415);
  const list = await member.get(`/api/v1/occurrences/${occ.id}/files`);
  assert.equal(list.body.items.length, 1);
});
