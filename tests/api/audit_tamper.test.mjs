// Tampering with the audit trail behind the program's back (the sqlite3 / psql command line,
// as someone with file or database access would) is found by GET /api/v1/audit/verify and
// `tongxin audit verify`; and `tongxin backup` copies a database the server is using.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, runCli, ENGINE } from './harness.mjs';

let srv;
let admin;
let dir;
const PASSWORD = 'Secret2026x';

/** Runs SQL on the server's database with the engine's own command-line client. */
function sql(text) {
  const r = ENGINE === 'postgres'
    ? spawnSync('psql', [srv.db.url, '-qtAc', text], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 5000', srv.db.url, text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /error/i);
  return r.stdout.trim();
}

/** Lifts the append-only guard, as an intruder with database access can. */
function dropGuards() {
  if (ENGINE === 'postgres') sql('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change');
  else sql('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete');
}

function addUser(name) {
  const r = srv.cli(['user', 'add', name, '--name', `用户${name}`, '--role', 'staff', '--password', PASSWORD]);
  assert.equal(r.status, 0, r.stderr);
}

async function verify() {
  const res = await admin.get('/api/v1/audit/verify');
  assert.equal(res.status, 200);
  return res.body;
}

before(async () => {
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'tongxin-backup-'));
  const r = srv.cli(['user', 'add', 'boss', '--name', '王主任', '--role', 'admin', '--password', PASSWORD]);
  assert.equal(r.status, 0, r.stderr);
  for (const n of ['alice', 'bob', 'carol', 'dave']) addUser(n);
  admin = await srv.login('boss', PASSWORD);
});
after(async () => {
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the database itself refuses to change audit records', () => {
  const update = ENGINE === 'postgres'
    ? spawnSync('psql', [srv.db.url, '-qtAc', "UPDATE audit_log SET action = 'x' WHERE id = 1"], { encoding: 'utf8' })
    : spawnSync('sqlite3', [srv.db.url, "UPDATE audit_log SET action = 'x' WHERE id = 1"], { encoding: 'utf8' });
  assert.match(update.stderr, /append-only/);
});

test('a backup taken while the server runs and writes opens and verifies', async () => {
  const file = join(dir, ENGINE === 'postgres' ? 'tongxin.dump' : 'tongxin-copy.db');
  // the server writes (sign-ins create sessions) while the backup runs
  const logins = Promise.all(Array.from({ length: 4 }, () => srv.login('boss', PASSWORD)));
  const backup = await new Promise((resolve) => {
    const child = spawn(process.env.TONGXIN_BIN || 'build/tongxin', ['backup', file, '--database', srv.db.url]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (status) => resolve({ status, out, err }));
  });
  await logins;
  assert.equal(backup.status, 0, backup.err);
  assert.match(backup.out, /backed up/);
  assert.ok(statSync(file).size > 0);
  assert.ok(!existsSync(`${file}.partial`));
  if (ENGINE === 'postgres') {
    const list = spawnSync('pg_restore', ['--list', file], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /TABLE public audit_log/);
  } else {
    const v = runCli(file, ['audit', 'verify']);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /intact: 5 records/);
    assert.equal(spawnSync('sqlite3', [file, 'SELECT COUNT(*) FROM app_user'], { encoding: 'utf8' }).stdout.trim(), '5');
  }
});

test('backup refuses to overwrite an existing file unless --force', () => {
  const file = join(dir, 'existing');
  writeFileSync(file, 'keep me');
  const refused = srv.cli(['backup', file]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /already exists/);
  assert.equal(statSync(file).size, 7);
  const forced = srv.cli(['backup', file, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.ok(statSync(file).size > 7);
  assert.equal(srv.cli(['backup']).status, 2);
  assert.match(srv.cli(['backup', '--help']).stdout, /--force/);
});

test('a backup to an unwritable place fails clearly and leaves nothing behind', () => {
  const file = join(dir, 'no-such-dir', 'x.db');
  const r = srv.cli(['backup', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /backup failed/);
  assert.ok(!existsSync(file));
});

test('an intact chain verifies and the CLI prints its head for safekeeping', async () => {
  const v = await verify();
  assert.equal(v.ok, true);
  assert.equal(v.records, 5);
  const cli = srv.cli(['audit', 'verify']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, new RegExp(`head: 5:${v.head_hash}`));
});

test('an edited record is found, by the API and the CLI, and naming its id', async () => {
  dropGuards();
  const original = sql('SELECT after_json FROM audit_log WHERE id = 3');
  const forged = original.replace('"staff"', '"admin"');
  assert.notEqual(forged, original);
  sql(`UPDATE audit_log SET after_json = '${forged}' WHERE id = 3`);
  const v = await verify();
  assert.equal(v.ok, false);
  assert.equal(v.first_bad_id, 3);
  assert.match(v.problem, /edited/);
  const cli = srv.cli(['audit', 'verify']);
  assert.equal(cli.status, 1);
  assert.match(cli.stdout, /record 3/);
  // putting the exact text back makes it whole again: the hash covers the content
  sql(`UPDATE audit_log SET after_json = '${original}' WHERE id = 3`);
  assert.equal((await verify()).ok, true);
});

test('removing the newest records is caught by the head kept elsewhere (--anchor)', async () => {
  addUser('erin');
  const before = await verify();
  assert.equal(before.head_id, 6);
  const anchor = `${before.head_id}:${before.head_hash}`;
  assert.equal(srv.cli(['audit', 'verify', '--anchor', anchor]).status, 0);
  sql('DELETE FROM audit_log WHERE id = 6');
  // what is left is a valid chain, so verification alone cannot tell ...
  assert.equal((await verify()).ok, true);
  // ... but the anchor can
  const cli = srv.cli(['audit', 'verify', '--anchor', anchor]);
  assert.equal(cli.status, 1);
  assert.match(cli.stdout, /record 6 of the anchor is missing/);
  assert.equal(srv.cli(['audit', 'verify', '--anchor', 'nonsense']).status, 2);
});

test('a deleted record in the middle is found', async () => {
  sql('DELETE FROM audit_log WHERE id = 2');
  const v = await verify();
  assert.equal(v.ok, false);
  assert.equal(v.first_bad_id, 3);
  assert.match(v.problem, /record 2 is missing/);
  assert.equal(v.records, 4);
  const cli = srv.cli(['audit', 'verify']);
  assert.equal(cli.status, 1);
  assert.match(cli.stdout, /record 3: record 2 is missing/);
});
