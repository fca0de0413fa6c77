// A notification is never lost: 1,000 robot posts are queued while the receiver is down, the
// server is killed with SIGKILL mid-delivery, started again, the receiver comes up — and every
// post arrives exactly once (counted by its sequence number).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, serve } from './harness.mjs';
import { robotReceiver, testRobotHosts, until } from './notify_receivers.mjs';

// Only for the receiver, which must be down (nothing listening) when the robot is set up.
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

test('killing the server with 1,000 robot posts queued loses none and sends none twice', { timeout: 120000 }, async () => {
  const receiverPort = await freePort(); // nothing listens there yet: the receiver is down
  const env = { TONGXIN_NOTIFY_LEASE: '3', ...testRobotHosts({ port: receiverPort }) };
  const srv = await startServer({ demo: 10, env });
  const admin = await srv.login('admin');
  const created = await admin.post('/api/v1/notify/webhooks', {
    name: '崩溃测试', kind: 'wecom', url: `http://127.0.0.1:${receiverPort}/send?key=k`, scope: 'crash:test', rate_per_minute: 100000,
  });
  assert.equal(created.status, 201, created.text);
  const queued = srv.cli(['notify', 'robots', '--scope', 'crash:test', '--count', '1000']);
  assert.equal(queued.status, 0, queued.stderr);
  await new Promise((r) => setTimeout(r, 1500)); // the delivery thread tries, and fails, a first time
  srv.child.kill('SIGKILL');
  await new Promise((r) => srv.child.once('exit', r));

  const again = await serve(srv.db.url, { env, args: ['--quiet'] });
  const rx = await robotReceiver(receiverPort);
  try {
    const seqs = () => rx.requests.map((q) => Number(q.json?.text?.content?.match(/#(\d+)：/)?.[1]));
    const all = await until(() => new Set(seqs()).size >= 1000, 60000);
    assert.ok(all, `all 1000 arrived (got ${new Set(seqs()).size})`);
    await new Promise((r) => setTimeout(r, 4000)); // longer than the lease: any duplicate would show
    const got = seqs();
    assert.equal(new Set(got).size, 1000);
    assert.equal(got.length, 1000, 'each exactly once');
    assert.deepEqual([...new Set(got)].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i + 1));
  } finally {
    await rx.close();
    again.child.kill('SIGTERM');
    await new Promise((r) => again.child.once('exit', r));
    srv.db.drop();
  }
});

