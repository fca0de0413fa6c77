// Local stand-ins for the outside world of notifications: a group-robot webhook receiver and a
// tiny SMTP server. Tests point the application at them; nothing leaves the machine.
import http from 'node:http';
import net from 'node:net';

/** An HTTP receiver that records every POST: { port, url, requests, status, close() }.
 *  Set r.status (default 200) and r.answer (JSON) to change what it answers. */
export async function robotReceiver(port = 0) {
  const r = { requests: [], status: 200, answer: { errcode: 0, errmsg: 'ok' } };
  r.server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      let json = null;
      try { json = JSON.parse(body); } catch { /* keep raw */ }
      r.requests.push({ url: req.url, headers: req.headers, body, json, at: Date.now() });
      res.writeHead(r.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(r.answer));
    });
  });
  await new Promise((ok) => r.server.listen(port, '127.0.0.1', ok));
  r.port = r.server.address().port;
  r.url = (path) => `http://127.0.0.1:${r.port}${path}`;
  r.close = () => new Promise((ok) => { r.server.closeAllConnections?.(); r.server.close(ok); });
  return r;
}

/** The environment that lets a test server's robots post to these receivers: robots accept only
 *  their platforms' official hosts, and this test-only setting, honored only by a server on
 *  127.0.0.1:0 (how harness.mjs starts them), adds the receivers' loopback ports. */
export function testRobotHosts(...receivers) {
  return { TONGXIN_TEST_ALLOW_ROBOT_HOSTS: receivers.map((r) => `127.0.0.1:${r.port}`).join(',') };
}

/** A minimal SMTP server (RFC 5321 happy path, AUTH PLAIN/LOGIN accepted): { port, mails, close() }.
 *  Each mail: { from, to: [], data, user }. */
export async function smtpReceiver() {
  const s = { mails: [] };
  s.server = net.createServer((sock) => {
    sock.setEncoding('utf8');
    const say = (line) => sock.write(line + '\r\n');
    let mail = { to: [] };
    let inData = false;
    let buffer = '';
    let authStep = null;
    say('220 test-smtp ready');
    sock.on('data', (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\r\n')) >= 0 || (inData && buffer.includes('\r\n.\r\n'))) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          s.mails.push(mail);
          mail = { to: [] };
          say('250 2.0.0 queued');
          continue;
        }
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (authStep === 'plain') { mail.user = Buffer.from(line, 'base64').toString().split('\0')[1]; authStep = null; say('235 2.7.0 ok'); continue; }
        if (authStep === 'user') { mail.user = Buffer.from(line, 'base64').toString(); authStep = 'pass'; say('334 UGFzc3dvcmQ6'); continue; }
        if (authStep === 'pass') { authStep = null; say('235 2.7.0 ok'); continue; }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO') { sock.write('250-test-smtp\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n'); }
        else if (cmd === 'HELO') say('250 test-smtp');
        else if (cmd === 'AUTH') {
          const parts = line.split(' ');
          if (parts[1].toUpperCase() === 'PLAIN' && parts[2]) { mail.user = Buffer.from(parts[2], 'base64').toString().split('\0')[1]; say('235 2.7.0 ok'); }
          else if (parts[1].toUpperCase() === 'LOGIN') { authStep = 'user'; say('334 VXNlcm5hbWU6'); }
          else { authStep = 'plain'; say('334 '); }
        } else if (cmd === 'MAIL') { mail.from = line.match(/<(.*)>/)?.[1]; say('250 2.1.0 ok'); }
        else if (cmd === 'RCPT') { mail.to.push(line.match(/<(.*)>/)?.[1]); say('250 2.1.5 ok'); }
        else if (cmd === 'DATA') { inData = true; say('354 go ahead'); }
        else if (cmd === 'QUIT') { say('221 bye'); sock.end(); }
        else if (cmd === 'RSET' || cmd === 'NOOP') say('250 ok');
        else say('502 not implemented');
      }
    });
    sock.on('error', () => {});
  });
  await new Promise((ok) => s.server.listen(0, '127.0.0.1', ok));
  s.port = s.server.address().port;
  s.close = () => new Promise((ok) => s.server.close(ok));
  return s;
}

export async function until(fn, ms = 5000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return fn();
}
