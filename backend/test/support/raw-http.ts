import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * One HTTP request with node:http rather than fetch: it can leave from another loopback address (localAddress
 * 127.0.0.2 is a different client address to the server than 127.0.0.1) and send X-Forwarded-* as given.
 */
export function rawRequest(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<RawAnswer> {
  const target = new URL(path, url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        localAddress: options.localAddress,
        agent: false,
        headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text) body = JSON.parse(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** POST /api/v1/auth/login, optionally as if relayed by a proxy (X-Forwarded-For) or from another loopback address. */
export function login(
  url: string,
  username: string,
  password: string,
  options: { forwardedFor?: string; forwardedProto?: string; localAddress?: string } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = {};
  if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor;
  if (options.forwardedProto) headers['x-forwarded-proto'] = options.forwardedProto;
  return rawRequest(url, 'POST', '/api/v1/auth/login', { body: { username, password }, headers, localAddress: options.localAddress });
}
