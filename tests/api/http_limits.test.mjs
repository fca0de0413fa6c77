// What the HTTP layer refuses before any route runs, and how: every refusal it can make is a
// problem document. Raw sockets, because fetch() cannot send two Content-Length headers or a
// 10 KB request line on purpose. (Requests above 64 KiB of head are answered by libmicrohttpd
// itself with its own page: see docs/architecture.md, "Errors libmicrohttpd answers itself".)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

/** Sends bytes on a fresh connection; resolves with {status, headers, body} of the reply. */
function rawRequest(text) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(srv.port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const done = () => {
      const s = data.toString('utf8');
      const end = s.indexOf('\r\n\r\n');
      const head = s.slice(0, end).split('\r\n');
      const headers = {};
      for (const h of head.slice(1)) {
        const i = h.indexOf(':');
        headers[h.slice(0, i).toLowerCase()] = h.slice(i + 1).trim();
      }
      const len = Number(headers['content-length'] || 0);
      resolve({ status: Number(head[0].split(' ')[1]), headers, body: s.slice(end + 4, end + 4 + len) });
    };
    sock.setTimeout(5000, () => { sock.destroy(); reject(new Error('no reply')); });
    sock.on('data', (d) => {
      data = Buffer.concat([data, d]);
      const s = data.toString('utf8');
      const end = s.indexOf('\r\n\r\n');
      const m = /content-length:\s*(\d+)/i.exec(s.slice(0, end));
      if (end >= 0 && m && Buffer.byteLength(s.slice(end + 4)) >= Number(m[1])) { sock.destroy(); done(); }
    });
    sock.on('end', done);
    sock.on('error', reject);
    sock.write(text);
  });
}

function assertProblem(res, status, code) {
  assert.equal(res.status, status, res.body);
  assert.match(res.headers['content-type'] || '', /application\/problem\+json/);
  const p = JSON.parse(res.body);
  assert.equal(p.status, status);
  assert.equal(p.code, code);
  return p;
}

test('two Content-Length headers are refused with 400 before the body is read', async () => {
  const res = await rawRequest('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n'
    + 'Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}');
  const p = assertProblem(res, 400, 'bad_request');
  assert.match(p.detail, /Content-Length/);
  // the same value twice is refused too: which framing a proxy in front used is not ours to guess
  const same = await rawRequest('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n'
    + 'Content-Length: 2\r\ncontent-length: 2\r\n\r\n{}');
  assertProblem(same, 400, 'bad_request');
});

test('Content-Length together with Transfer-Encoding is refused with 400', async () => {
  const res = await rawRequest('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n'
    + 'Content-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
  const p = assertProblem(res, 400, 'bad_request');
  assert.match(p.detail, /Transfer-Encoding/);
});

test('a request line over 8 KB is a 414 problem document, in the caller\'s language', async () => {
  const res = await rawRequest(`GET /api/v1/orgs?q=${'a'.repeat(10000)} HTTP/1.1\r\nHost: t\r\nAccept-Language: en\r\n\r\n`);
  const p = assertProblem(res, 414, 'uri_too_long');
  assert.equal(p.detail, 'The request URI is too long (limit 8 KB)');
  const path = await rawRequest(`GET /${'b'.repeat(9000)} HTTP/1.1\r\nHost: t\r\n\r\n`);
  assertProblem(path, 414, 'uri_too_long');
});

test('headers over 24 KB are a 431 problem document', async () => {
  const res = await rawRequest(`GET /healthz HTTP/1.1\r\nHost: t\r\nX-Padding: ${'x'.repeat(30000)}\r\n\r\n`);
  assertProblem(res, 431, 'headers_too_large');
});

test('an oversize body names its limit in MB in the detail and no number in the title', async () => {
  const res = await rawRequest('POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n'
    + 'Content-Length: 999999999999\r\n\r\n');
  const p = assertProblem(res, 413, 'payload_too_large');
  assert.equal(p.title, '提交的内容过大');
  assert.equal(p.detail, '提交的内容过大（上限 1 MB）');
});

test('the server still answers after every refusal', async () => {
  const res = await srv.client().get('/healthz');
  assert.equal(res.status, 200);
});
