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
