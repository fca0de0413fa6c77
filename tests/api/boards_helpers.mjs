// Helpers shared by the announcement and board tests: read the notification table directly
// (the reading side of notifications is another feature's) on either engine.
import { spawnSync } from 'node:child_process';
import { ENGINE } from './harness.mjs';

/** Rows of a query as arrays of strings (no parameters: pass only integers you built). */
export function sqlRows(srv, sql) {
  const r = ENGINE === 'postgres'
    ? spawnSync('psql', [srv.db.url, '-qtAF', '\t', '-c', sql], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-separator', '\t', srv.db.url, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`query failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

/** Kinds of the notifications a user got about an object. */
export function noticesFor(srv, userId, objectType, objectId) {
  return sqlRows(srv, `SELECT kind FROM notification WHERE user_id = ${Number(userId)} AND object_type = '${objectType}' AND object_id = ${Number(objectId)} ORDER BY id`).map((r) => r[0]);
}
