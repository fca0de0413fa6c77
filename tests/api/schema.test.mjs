// The two engines' schemas are kept in step. The SQLite and PostgreSQL migrations are near-twins
// written by hand (src/db/migrations/{sqlite,postgres}/); a column, an index or a unique rule
// added to one and forgotten in the other would pass every test of the engine that has it.
// This test runs `tongxin init` on a fresh database of each engine and compares what they hold,
// after mapping the known dialect differences:
//   - types: INTEGER / BIGINT / BIGSERIAL → integer, TEXT → text, REAL / DOUBLE PRECISION → real,
//     BLOB / BYTEA → blob;
//   - a SQLite INTEGER PRIMARY KEY is NOT NULL as PostgreSQL's is;
//   - full-text search: SQLite's FTS5 tables (<table>_fts and its shadow tables) are PostgreSQL's
//     `search_tokens` tsvector column and its `<table>_search` GIN index;
//   - PostgreSQL names its primary keys <table>_pkey (SQLite does not name them).
// It runs in the PostgreSQL pass of the API suite (it needs both engines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { ENGINE, freshDatabase, runCli } from './harness.mjs';

const onPostgres = ENGINE === 'postgres';

function sqlite(url, text) {
  const r = spawnSync('sqlite3', ['-separator', '|', url, text], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
}
function psql(url, text) {
  const r = spawnSync('psql', [url, '-qtA', '-F', '|', '-c', text], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
}

const TYPES = { integer: 'integer', bigint: 'integer', bigserial: 'integer', int: 'integer',
  text: 'text', 'character varying': 'text', real: 'real', 'double precision': 'real', blob: 'blob', bytea: 'blob' };
const typeOf = (t) => TYPES[t.toLowerCase()] || `unknown:${t}`;
const isFts = (table) => /_fts(_|$)/.test(table);

function sqliteSchema(url) {
  const columns = sqlite(url, `SELECT m.name, p.name, p.type, p."notnull", p.pk FROM sqlite_master m
    JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
    .filter(([t]) => !isFts(t))
    .map(([t, c, type, nn, pk]) => `${t}.${c} ${typeOf(type)}${nn === '1' || pk !== '0' ? ' not null' : ''}`);
  const indexes = sqlite(url, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    .map(([n]) => n);
  const unique = sqlite(url, `SELECT m.name, l.name FROM sqlite_master m JOIN pragma_index_list(m.name) l
    WHERE m.type = 'table' AND l.origin = 'u'`)
    .map(([t, idx]) => `${t}(${sqlite(url, `SELECT name FROM pragma_index_info('${idx}') ORDER BY seqno`).map(([c]) => c).join(',')})`);
  const search = sqlite(url, "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")
    .map(([n]) => n.replace(/_fts$/, ''));
  return { columns, indexes, unique, search };
}

function postgresSchema(url) {
  const columns = psql(url, `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
    WHERE table_schema = 'public'`)
    .filter(([, c, type]) => !(c === 'search_tokens' && type === 'tsvector'))
    .map(([t, c, type, nullable]) => `${t}.${c} ${typeOf(type)}${nullable === 'NO' ? ' not null' : ''}`);
  const all = psql(url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'").map(([n]) => n);
  const constraintIndexes = new Set(psql(url, "SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u') AND connamespace = 'public'::regnamespace").map(([n]) => n));
  const indexes = all.filter((n) => !constraintIndexes.has(n) && !/_search$/.test(n));
  const unique = psql(url, `SELECT c.conrelid::regclass::text, string_agg(a.attname, ',' ORDER BY k.n)
    FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.contype = 'u' AND c.connamespace = 'public'::regnamespace GROUP BY c.oid, c.conrelid`).map(([t, cols]) => `${t}(${cols})`);
  const search = psql(url, `SELECT table_name FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name = 'search_tokens' AND data_type = 'tsvector'`).map(([t]) => t);
  return { columns, indexes, unique, search };
}

function compare(what, a, b) {
  const sa = new Set(a);
  const sb = new Set(b);
  return [
    ...[...sa].filter((x) => !sb.has(x)).map((x) => `${what} only on SQLite: ${x}`),
    ...[...sb].filter((x) => !sa.has(x)).map((x) => `${what} only on PostgreSQL: ${x}`),
  ].sort();
}

test('both engines have the same migrations, by number and name', () => {
  const list = (engine) => readdirSync(`src/db/migrations/${engine}`).filter((f) => f.endsWith('.sql')).sort();
  assert.deepEqual(list('sqlite'), list('postgres'));
});

test('after init, both engines have the same tables, columns, types, NOT NULLs, indexes, unique rules and search tables',
  { skip: onPostgres ? false : 'runs in the PostgreSQL pass: it needs both engines' }, () => {
    const lite = freshDatabase('sqlite');
    const pg = freshDatabase();
    try {
      for (const db of [lite, pg]) {
        const r = runCli(db.url, ['init']);
        assert.equal(r.status, 0, r.stderr);
      }
      const s = sqliteSchema(lite.url);
      const p = postgresSchema(pg.url);
      assert.ok(s.columns.length > 300 && p.columns.length > 300, 'the schemas were read');
      const differences = [
        ...compare('column', s.columns, p.columns),
        ...compare('index', s.indexes, p.indexes),
        ...compare('unique', s.unique, p.unique),
        ...compare('search table', s.search, p.search),
      ];
      assert.deepEqual(differences, []);
    } finally {
      lite.drop();
      pg.drop();
    }
  });
