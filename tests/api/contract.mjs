// The published contract, checked on every exchange: the OpenAPI document the binary serves
// (`tongxin openapi` prints the same merged document as GET /api/v1/openapi.json) is loaded once
// per test process, and the harness's Client calls checkReply() on every reply and
// checkRequest() on every JSON body it sends. A reply whose route and status declare no schema,
// or that does not match the declared one, is a failure, as it would be for a client generated
// from the document (openapi-generator, orval, openapi-typescript).
//
//   TONGXIN_CONTRACT_REPORT=FILE   record mismatches in FILE (one JSON line each) instead of
//                                  failing the test: to survey a whole suite run at once
//   TONGXIN_CONTRACT_STATS=FILE    append this process's counts (one JSON line) at exit
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DOC_ID = 'https://tongxin.invalid/openapi.json';
const stats = { replies: 0, requests: 0, mismatches: 0 };
let contract = null;

/** The contract error: the test that sent the request fails with it. */
export class ContractError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ContractError';
  }
}

function pointer(...parts) {
  return parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/**
 * Loads the document from the binary (once per process) and prepares the path matcher: each
 * template becomes a regular expression; when several match (`/orgs/export` and `/orgs/{id}`)
 * the one with more literal segments wins, as the server's router prefers them.
 */
function load(bin) {
  if (contract) return contract;
  const r = spawnSync(bin, ['openapi'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${bin} openapi failed (${r.status}): ${r.stderr}`);
  const doc = JSON.parse(r.stdout);
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; the document's own keywords (example, x-...)
  // are not schema keywords, hence strict: false. Formats are checked (ajv-formats).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema(doc, DOC_ID);
  const paths = Object.keys(doc.paths).map((template) => {
    const segments = template.split('/');
    const source = segments.map((s) => (/^\{[^}]+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')));
    return {
      template,
      re: new RegExp(`^${source.join('/')}$`),
      literals: segments.filter((s) => !s.startsWith('{')).length,
    };
  });
  paths.sort((a, b) => b.literals - a.literals);
  contract = { doc, ajv, paths, validators: new Map() };
  if (process.env.TONGXIN_CONTRACT_STATS) {
    process.on('exit', () => {
      const file = basename(process.argv[1] || '?');
      appendFileSync(process.env.TONGXIN_CONTRACT_STATS, `${JSON.stringify({ file, ...stats })}\n`);
    });
  }
  return contract;
}

/** Follows $refs from the node at JSON pointer ptr: { node, ptr } of the node finally reached. */
function resolve(c, ptr) {
  for (let i = 0; i < 16; i++) {
    const node = ptr.slice(1).split('/').reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], c.doc);
    if (!node || !node.$ref) return { node, ptr };
    if (!node.$ref.startsWith('#/')) throw new Error(`unsupported $ref ${node.$ref}`);
    ptr = node.$ref.slice(1);
  }
  throw new Error(`$ref loop at ${ptr}`);
}

/** The operation for a request: { template, op } or null when no documented path matches. */
function operation(c, method, url) {
  const path = url.split('?')[0].split('#')[0];
  for (const p of c.paths) {
    if (p.re.test(path)) {
      const op = c.doc.paths[p.template][method.toLowerCase()];
      return { template: p.template, op: op || null };
    }
  }
  return null;
}

/** Validates value against the schema at `ref` (a JSON pointer into the document). */
function validate(c, ref, value) {
  let v = c.validators.get(ref);
  if (!v) {
    v = c.ajv.compile({ $ref: `${DOC_ID}#${ref}` });
    c.validators.set(ref, v);
  }
  if (v(value)) return null;
  return v.errors.map((e) => {
    const at = e.instancePath || '(root)';
    const extra = e.keyword === 'additionalProperties' ? ` '${e.params.additionalProperty}'`
      : e.keyword === 'enum' ? ` ${JSON.stringify(e.params.allowedValues)}` : '';
    let got = at === '(root)' ? undefined : e.instancePath.slice(1).split('/')
      .reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], value);
    got = got === undefined ? '' : ` (got ${JSON.stringify(got)?.slice(0, 80)})`;
    return `${at} ${e.message}${extra}${got} [${e.schemaPath}]`;
  });
}

function fail(kind, method, url, status, lines) {
  stats.mismatches++;
  const head = `OpenAPI contract: ${method} ${url}${status ? ` -> ${status}` : ''}: ${kind}`;
  const message = lines && lines.length ? `${head}\n  ${lines.slice(0, 20).join('\n  ')}` : head;
  if (process.env.TONGXIN_CONTRACT_REPORT) {
    const at = (new Error().stack.split('\n').find((l) => /\.test\.mjs:/.test(l)) || '').trim();
    appendFileSync(process.env.TONGXIN_CONTRACT_REPORT, `${JSON.stringify({
      file: basename(process.argv[1] || '?'), at, method, url, status, kind, lines,
    })}\n`);
    return;
  }
  throw new ContractError(message);
}

/**
 * Checks one reply. Every reply whose Content-Type is JSON (application/json,
 * application/problem+json, ...) must have a schema declared for its route, status (exact,
 * then NXX, then default) and media type, and match it. Other replies (CSV, HTML, files, 204)
 * are not JSON and carry no schema to check.
 */
export function checkReply(bin, method, url, status, contentType, text) {
  const mediaType = (contentType || '').split(';')[0].trim().toLowerCase();
  if (!mediaType.includes('json')) return;
  const c = load(bin);
  stats.replies++;
  const found = operation(c, method, url);
  if (!found || !found.op) {
    // an unknown path or method (404, 405) can only be refused, with a problem document
    if (mediaType === 'application/problem+json' && status >= 400) {
      const errors = validate(c, '/components/schemas/Problem', JSON.parse(text));
      if (errors) fail('the problem reply does not match the Problem schema', method, url, status, errors);
      return;
    }
    if (!found) return fail('a JSON reply on a path the document does not declare', method, url, status);
    return fail(`the document declares no ${method} operation on ${found.template}`, method, url, status);
  }
  const responses = found.op.responses || {};
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k]);
  if (!key) return fail(`${method} ${found.template} declares no ${status} reply (declared: ${Object.keys(responses).join(', ')})`, method, url, status);
  const reply = resolve(c, pointer('', 'paths', found.template, method.toLowerCase(), 'responses', key));
  const media = reply.node?.content?.[mediaType];
  if (!media || !media.schema) {
    return fail(`${method} ${found.template} ${key} declares no ${mediaType} schema (declared: ${Object.keys(reply.node?.content || {}).join(', ') || 'none'})`, method, url, status);
  }
  let body;
  try { body = JSON.parse(text); } catch (e) {
    return fail(`the reply is not JSON: ${e.message}`, method, url, status);
  }
  const errors = validate(c, `${reply.ptr}/${pointer('content', mediaType, 'schema')}`, body);
  if (errors) fail(`the reply does not match the schema of ${method} ${found.template} ${key} (${mediaType})`, method, url, status, errors);
}

/**
 * Checks a JSON body a test sends as valid: the operation must declare a JSON request body and
 * the body must match it, so the document never rejects what the server accepts. Tests that send
 * bad input on purpose pass { invalid: true } and are not checked.
 */
export function checkRequest(bin, method, url, body) {
  const c = load(bin);
  stats.requests++;
  const found = operation(c, method, url);
  if (!found || !found.op) return fail('a JSON body sent to an operation the document does not declare', method, url, 0);
  const requestBody = resolve(c, pointer('', 'paths', found.template, method.toLowerCase(), 'requestBody'));
  const media = requestBody.node?.content?.['application/json'];
  if (!media || !media.schema) {
    return fail(`${method} ${found.template} declares no application/json request body (mark a deliberately bad request { invalid: true })`, method, url, 0);
  }
  const errors = validate(c, `${requestBody.ptr}/${pointer('content', 'application/json', 'schema')}`, body);
  if (errors) fail(`the request body does not match the schema of ${method} ${found.template} (mark a deliberately bad request { invalid: true })`, method, url, 0, errors);
}

