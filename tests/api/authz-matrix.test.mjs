// The authorization matrix: every route in the route table × every role (and anonymous).
// A role outside the route's roles must be refused by the route filter (403 with the
// role message); a role inside must get past it (whatever the handler then says about the
// object or the body); anonymous callers get 401 on every non-public route. Object-level rules
// (own organization, jurisdiction) are tested per feature.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, BIN } from './harness.mjs';

const ROLE_USERS = {
  admin: 'admin', staff: 'staff', liaison: 'liaison', org_admin: 'orgadmin', org_member: 'member',
  expert: 'expert', mediator: 'mediator', gov_officer: 'officer', resident: 'resident', supervisor: 'supervisor',
};
const ROLE_REFUSAL = '您的角色不能使用此功能';

let srv;
let routes;
const clients = {};
before(async () => {
  srv = await startServer({ demo: 30 });
  routes = JSON.parse(spawnSync(BIN, ['routes'], { encoding: 'utf8' }).stdout);
  for (const [role, user] of Object.entries(ROLE_USERS)) clients[role] = await srv.login(user);
});
after(async () => { await srv.stop(); });

// Path parameters get the id of a real object (1 exists for organizations, people and users
// in the demo), so an allowed role reaches the handler's own checks.
const concrete = (path) => path.replace(/\{[a-z_]+\}/g, '1');

test('anonymous callers get 401 on every non-public route', async () => {
  const wrong = [];
  for (const r of routes.filter((x) => !x.public)) {
    const res = await srv.client().request(r.method, concrete(r.path), r.method === 'GET' ? undefined : {}, { invalid: true });
    if (res.status !== 401) wrong.push(`${r.method} ${r.path} -> ${res.status}`);
  }
  assert.deepEqual(wrong, []);
});

for (const role of Object.keys(ROLE_USERS)) {
  test(`role ${role}: refused exactly where the route table says, allowed elsewhere`, async () => {
    const wrong = [];
    for (const r of routes.filter((x) => !x.public && !x.upload)) {
      const allowed = r.roles.includes(role);
      // an empty body: a probe of the role filter, not a valid request (not checked against
      // the document; the replies still are)
      const body = r.method === 'GET' ? undefined : {};
      const res = await clients[role].request(r.method, concrete(r.path), body, { invalid: true });
      const refusedByRole = res.status === 403 && res.body?.detail === ROLE_REFUSAL;
      if (allowed && (refusedByRole || res.status === 401)) wrong.push(`${r.method} ${r.path}: allowed but got ${res.status}`);
      if (!allowed && !refusedByRole) wrong.push(`${r.method} ${r.path}: should be refused but got ${res.status}`);
      if (r.method === 'DELETE' && r.path === '/api/v1/session' && allowed) {
        clients[role] = await srv.login(ROLE_USERS[role]); // that call signed us out
      }
    }
    assert.deepEqual(wrong, []);
  });
}

test('upload routes refuse roles outside the table too', async () => {
  const wrong = [];
  for (const r of routes.filter((x) => x.upload)) {
    for (const role of Object.keys(ROLE_USERS)) {
      if (r.roles.includes(role)) continue;
      const res = await clients[role].request(r.method, concrete(r.path), undefined, { raw: 'a,b\n', headers: { 'Content-Type': 'text/csv' } });
      if (res.status !== 403) wrong.push(`${role} ${r.method} ${r.path} -> ${res.status}`);
    }
  }
  assert.deepEqual(wrong, []);
});

// Object-level: jurisdiction. A street-limited staff member (demo `street`) writes only to the
// organizations of their street, and an organization's group robots are organization objects
// like any other (issue 21): outside the street every robot route answers as an edit of the
// organization itself does (403), inside it works. The robots are disabled and point at the
// official host, so the test action queues a post that is never sent.
test('street staff: robots of organizations outside the street are refused like the organization itself', async () => {
  const street = await srv.login('street');
  const admin = clients.admin;
  const own = street.me.jurisdiction.slice(0, 9);
  const orgs = (await admin.get('/api/v1/orgs?per_page=100')).body.items;
  const inside = orgs.find((o) => o.street_code.slice(0, 9) === own);
  const outside = orgs.find((o) => o.street_code.slice(0, 9) !== own);
  assert.ok(inside && outside, 'the demo has organizations in and outside the street');
  const robotBody = (org) => ({ name: `机器人${org.id}`, kind: 'wecom', url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=m${org.id}`, org_id: org.id, enabled: false });
  const made = {};
  for (const org of [inside, outside]) {
    const res = await admin.post('/api/v1/notify/webhooks', robotBody(org));
    assert.equal(res.status, 201, res.text);
    made[org.id] = res.body.id;
  }
  const calls = (org) => [
    ['edit the organization', 'PATCH', `/api/v1/orgs/${org.id}`, { version: org.version, name: org.name }],
    ['add a robot', 'POST', '/api/v1/notify/webhooks', robotBody(org)],
    ['change a robot', 'PATCH', `/api/v1/notify/webhooks/${made[org.id]}`, { rate_per_minute: 10 }],
    ['test a robot', 'POST', `/api/v1/notify/webhooks/${made[org.id]}/test`, undefined],
    ['delete a robot', 'DELETE', `/api/v1/notify/webhooks/${made[org.id]}`, undefined],
  ];
  const wrong = [];
  const listed = (await street.get('/api/v1/notify/webhooks')).body.items.map((r) => r.id);
  if (listed.includes(made[outside.id])) wrong.push('outside: the robot is listed');
  if (!listed.includes(made[inside.id])) wrong.push('inside: the robot is not listed');
  for (const [what, method, path, body] of calls((await admin.get(`/api/v1/orgs/${outside.id}`)).body)) {
    const res = await street.request(method, path, body);
    if (res.status !== 403) wrong.push(`outside: ${what} -> ${res.status}`);
  }
  const fresh = (await admin.get(`/api/v1/orgs/${inside.id}`)).body;
  for (const [what, method, path, body] of calls(fresh)) {
    const res = await street.request(method, path, body);
    if (res.status < 200 || res.status > 299) wrong.push(`inside: ${what} -> ${res.status} ${res.text}`);
  }
  assert.deepEqual(wrong, []);
  const still = (await admin.get('/api/v1/notify/webhooks')).body.items.map((r) => r.id);
  assert.ok(still.includes(made[outside.id]), 'the robot outside the street is still there');
});
