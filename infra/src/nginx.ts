// A small nginx configuration parser (directives, arguments, blocks; quotes and comments) and the checks of
// dxoc's reverse proxy.

export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

export function parseNginx(text: string): Directive[] {
  const tokens: Array<{ value: string; quoted: boolean }> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (c === '{' || c === '}' || c === ';') {
      tokens.push({ value: c, quoted: false });
      i += 1;
    } else if (c === '"' || c === "'") {
      let value = '';
      i += 1;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else {
          value += text[i];
          i += 1;
        }
      }
      if (i >= text.length) throw new Error('unterminated quoted string');
      i += 1;
      tokens.push({ value, quoted: true });
    } else {
      let value = '';
      // ${VAR} (template variables) may contain no spaces; braces of a ${...} do not open a block
      while (i < text.length && !/[\s;{}#]/.test(text[i] as string)) {
        if (text[i] === '$' && text[i + 1] === '{') {
          const close = text.indexOf('}', i);
          if (close < 0) throw new Error('unterminated ${');
          value += text.slice(i, close + 1);
          i = close + 1;
        } else {
          value += text[i];
          i += 1;
        }
      }
      tokens.push({ value, quoted: false });
    }
  }

  let position = 0;
  const parseBlock = (depth: number): Directive[] => {
    const directives: Directive[] = [];
    let current: string[] = [];
    while (position < tokens.length) {
      const token = tokens[position] as { value: string; quoted: boolean };
      position += 1;
      if (!token.quoted && token.value === ';') {
        if (current.length === 0) throw new Error('empty directive');
        directives.push({ name: current[0] as string, args: current.slice(1) });
        current = [];
      } else if (!token.quoted && token.value === '{') {
        if (current.length === 0) throw new Error('block without a directive name');
        const block = parseBlock(depth + 1);
        directives.push({ name: current[0] as string, args: current.slice(1), block });
        current = [];
      } else if (!token.quoted && token.value === '}') {
        if (depth === 0) throw new Error('unbalanced }');
        if (current.length > 0) throw new Error(`directive "${current.join(' ')}" is missing its ;`);
        return directives;
      } else {
        current.push(token.value);
      }
    }
    if (depth > 0) throw new Error('unbalanced {: a block is not closed');
    if (current.length > 0) throw new Error(`directive "${current.join(' ')}" is missing its ;`);
    return directives;
  };
  return parseBlock(0);
}

export const find = (directives: Directive[], name: string): Directive[] => directives.filter((d) => d.name === name);
export const first = (directives: Directive[], name: string): Directive | undefined => directives.find((d) => d.name === name);

/** nginx time ("3600s", "1h", "90", "1m30s") in seconds. */
export function nginxSeconds(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  let total = 0;
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  const re = /(\d+)(ms|s|m|h|d|w|M|y)/g;
  let consumed = '';
  for (const match of value.matchAll(re)) {
    total += Number(match[1]) * (units[match[2] as string] as number);
    consumed += match[0];
  }
  if (consumed !== value) throw new Error(`not an nginx time: ${value}`);
  return total;
}

/** nginx size ("4m", "512k", "1g", "1024") in bytes. */
export function nginxBytes(value: string): number {
  const match = /^(\d+)([kKmMgG]?)$/.exec(value);
  if (!match) throw new Error(`not an nginx size: ${value}`);
  const factor = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] as string).toLowerCase()] as number;
  return Number(match[1]) * factor;
}

export interface ProxyExpectations {
  /** Port the backends listen on (PORT). */
  backendPort: number;
  /** Port nginx must listen on (the image's EXPOSE, the compose and Kubernetes container ports). */
  listenPort: number;
  /** Largest request body the backend accepts. */
  maxBodyBytes: number;
  /** Values the image's entrypoint substitutes into the template, e.g. DXOC_BACKEND_ADDRESS. */
  templateValues: Record<string, string>;
}

/** The checks of dxoc's proxy: /api and /socket.io to the backends, websocket upgrade, long timeouts, /healthz. */
export function checkProxyConfig(text: string, expected: ProxyExpectations): string[] {
  const problems: string[] = [];
  const rendered = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => expected.templateValues[name] ?? match);
  let conf: Directive[];
  try {
    conf = parseNginx(rendered);
  } catch (error) {
    return [`does not parse: ${(error as Error).message}`];
  }
  const leftover = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rendered);
  if (leftover) problems.push(`template variable ${leftover[0]} has no value in the image`);

  const upstreams = find(conf, 'upstream');
  const servers = find(conf, 'server').filter((server) => server.block);
  if (servers.length === 0) return [...problems, 'no server block'];

  const upstreamByName = new Map(upstreams.map((u) => [u.args[0] as string, u.block ?? []]));
  for (const [name, block] of upstreamByName) {
    const upstreamServers = find(block, 'server');
    if (upstreamServers.length === 0) problems.push(`upstream ${name}: no server`);
    for (const server of upstreamServers) {
      const port = /:(\d+)$/.exec(server.args[0] ?? '')?.[1];
      if (Number(port) !== expected.backendPort) problems.push(`upstream ${name}: server ${server.args[0]} is not on the backend port ${expected.backendPort}`);
    }
    const sticky = first(block, 'ip_hash') || find(block, 'hash').some((h) => h.args[0] === '$remote_addr');
    if (!sticky) problems.push(`upstream ${name}: no ip_hash or hash $remote_addr (socket.io's polling fallback needs one backend per client)`);
    if (first(block, 'keepalive') && !first(block, 'zone') && find(block, 'server').some((s) => s.args.includes('resolve'))) {
      problems.push(`upstream ${name}: "resolve" needs a zone`);
    }
    if (find(block, 'server').some((s) => s.args.includes('resolve')) && !first(conf, 'resolver') && !first(block, 'resolver')) {
      problems.push(`upstream ${name}: "resolve" needs a resolver`);
    }
  }

  const server = servers[0] as Directive;
  const body = server.block ?? [];
  const listens = find(body, 'listen').map((l) => Number(/(\d+)$/.exec(l.args[0] ?? '')?.[1]));
  if (!listens.includes(expected.listenPort)) problems.push(`server listens on ${listens.join(', ') || 'nothing'}, not ${expected.listenPort}`);

  const maxBody = first(body, 'client_max_body_size');
  if (!maxBody || nginxBytes(maxBody.args[0] as string) < expected.maxBodyBytes) {
    problems.push(`client_max_body_size ${maxBody?.args[0] ?? '(default 1m)'} is below the backend's limit of ${expected.maxBodyBytes} bytes: nginx would refuse ingest batches the backend accepts`);
  }

  const location = (path: string): Directive | undefined =>
    find(body, 'location').find((l) => (l.args.length === 1 ? l.args[0] === path : l.args[0] === '=' && l.args[1] === path));

  const health = location('/healthz');
  if (!health) problems.push('no location /healthz');
  else if (first(health.block ?? [], 'return')?.args[0] !== '200') problems.push('location /healthz does not return 200');

  for (const path of ['/api/', '/socket.io/']) {
    const block = location(path)?.block;
    if (!block) {
      problems.push(`no location ${path}`);
      continue;
    }
    const pass = first(block, 'proxy_pass')?.args[0] ?? '';
    const target = /^http:\/\/([^/:]+)(?::(\d+))?\/?$/.exec(pass);
    if (!target) problems.push(`location ${path}: proxy_pass "${pass}" is not http://<upstream> (no URI part: the path must reach the backend unchanged)`);
    else if (upstreamByName.size > 0 && !upstreamByName.has(target[1] as string)) problems.push(`location ${path}: proxy_pass to unknown upstream ${target[1]}`);
    else if (upstreamByName.size === 0 && Number(target[2]) !== expected.backendPort) problems.push(`location ${path}: proxy_pass ${pass} is not on the backend port`);
    if (first(block, 'proxy_http_version')?.args[0] !== '1.1') problems.push(`location ${path}: proxy_http_version is not 1.1`);
  }

  const socket = location('/socket.io/')?.block;
  if (socket) {
    const headers = new Map(find(socket, 'proxy_set_header').map((h) => [(h.args[0] ?? '').toLowerCase(), h.args[1] ?? '']));
    if (headers.get('upgrade') !== '$http_upgrade') problems.push('location /socket.io/: no "proxy_set_header Upgrade $http_upgrade"');
    const connection = headers.get('connection') ?? '';
    if (connection.startsWith('$')) {
      const map = find(conf, 'map').find((m) => m.args[0] === '$http_upgrade' && m.args[1] === connection);
      const upgrades = map && (map.block ?? []).some((entry) => entry.name === 'default' && entry.args[0] === 'upgrade');
      if (!upgrades) problems.push(`location /socket.io/: Connection ${connection} is not a map of $http_upgrade whose default is "upgrade"`);
    } else if (connection.toLowerCase() !== 'upgrade') {
      problems.push('location /socket.io/: no "proxy_set_header Connection" upgrade header');
    }
    for (const timeout of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const value = first(socket, timeout)?.args[0];
      if (!value || nginxSeconds(value) < 3600) problems.push(`location /socket.io/: ${timeout} ${value ?? '(default 60s)'} is shorter than an hour: idle live streams would be cut`);
    }
  }
  return problems;
}
