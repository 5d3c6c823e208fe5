/**
 * Real receivers for notification tests: an SMTP server (smtp-server) keeping every mail it accepted, parsed, and the
 * credentials it was given; an HTTP server keeping every webhook request with its raw body and whether its
 * signature verifies with the channel's secret.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { verifyWebhook } from '../../src/notifications/crypto';

export interface Inbox {
  port: number;
  mails: ParsedMail[];
  /** the username and password of each authenticated session */
  logins: { username: string; password: string }[];
  close(): Promise<void>;
}

/** An SMTP server on 127.0.0.1 (no TLS) requiring AUTH with the given user and password. */
export async function startInbox(user: { username: string; password: string }): Promise<Inbox> {
  const mails: ParsedMail[] = [];
  const logins: Inbox['logins'] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
      if (auth.username === user.username && auth.password === user.password) return callback(null, { user: auth.username });
      return callback(new Error('invalid credentials'));
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, logins, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface Hook {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders; raw: string; body: any; verified: boolean }[];
  /** the status answered to each request (a test turns it to 500 to make deliveries fail) */
  status: number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 verifying each request's X-Dxoc-Signature with `secret`. */
export async function startHook(secret: string): Promise<Hook> {
  const hook: Hook = { url: '', requests: [], status: 200, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verified = verifyWebhook(
        secret,
        {
          signature: req.headers['x-dxoc-signature'] as string | undefined,
          timestamp: req.headers['x-dxoc-timestamp'] as string | undefined,
        },
        raw,
        Math.floor(Date.now() / 1000),
      );
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      hook.requests.push({ path: req.url ?? '', headers: req.headers, raw, body, verified });
      res.statusCode = hook.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hook.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return hook;
}

export async function waitFor(check: () => Promise<boolean> | boolean, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
