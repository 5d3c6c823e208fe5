import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '../src/auth/auth.service';
import type { Role } from '@dxoc/contracts';
import { startTestServer, type TestServer } from './support/app';

type Caller = 'anonymous' | 'agent key' | 'viewer token' | Role | 'operator of 01';
const CALLERS: Caller[] = ['anonymous', 'agent key', 'viewer token', 'viewer', 'operator', 'operator of 01', 'staff', 'admin'];

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string | ((ctx: Context) => string);
  body?: unknown | ((ctx: Context) => unknown);
  /** expected status per caller; callers not listed expect `otherwise` */
  expect: Partial<Record<Caller, number>>;
  otherwise: number;
}

interface Context {
  key79Id: string;
}

const SIGNED_IN_READ = { anonymous: 401, 'agent key': 403 };

/** Alert notifications: channels and routes are the admin's alone; the delivery log is read by staff and admins. */
function notificationCases(): Case[] {
  const admin = (status: number) => ({ expect: { ...SIGNED_IN_READ, admin: status }, otherwise: 403 });
  const base = '/api/v1/notifications';
  return [
    { name: 'list notification channels', method: 'GET', path: `${base}/channels`, ...admin(200) },
    { name: 'create a notification channel (invalid body)', method: 'POST', path: `${base}/channels`, body: { name: '' }, ...admin(400) },
    {
      name: 'change a notification channel (invalid body)',
      method: 'PUT',
      path: `${base}/channels/999999`,
      body: { name: '' },
      ...admin(400),
    },
    { name: 'delete a notification channel', method: 'DELETE', path: `${base}/channels/999999`, ...admin(404) },
    { name: 'test a notification channel', method: 'POST', path: `${base}/channels/999999/test`, ...admin(404) },
    { name: 'list notification routes', method: 'GET', path: `${base}/routes`, ...admin(200) },
    { name: 'create a notification route (invalid body)', method: 'POST', path: `${base}/routes`, body: { name: '' }, ...admin(400) },
    { name: 'change a notification route (invalid body)', method: 'PUT', path: `${base}/routes/999999`, body: { name: '' }, ...admin(400) },
    { name: 'delete a notification route', method: 'DELETE', path: `${base}/routes/999999`, ...admin(404) },
    {
      name: 'notification delivery log',
      method: 'GET',
      path: `${base}/deliveries?limit=5`,
      expect: { ...SIGNED_IN_READ, staff: 200, admin: 200 },
      otherwise: 403,
    },
  ];
}

const RULE = {
  name: 'matrix',
  metric: 'einvoice.issued',
  scope: { kind: 'provinces' },
  condition: { type: 'above', value: 1e9 },
  severity: 'info',
  messageVi: 'vượt {threshold}',
  messageEn: 'above {threshold}',
};

const TARGET = {
  metricCode: 'einvoice.issued',
  unitCode: '79',
  value: 1000,
  comparator: '>=',
  deadline: '2030-12-31',
  legalSourceVi: 'x',
  legalSourceEn: 'x',
};

/** Every endpoint × role. Statuses other than 401/403 only show that the caller got through. */
const CASES: Case[] = [
  { name: 'health', method: 'GET', path: '/api/v1/health', expect: {}, otherwise: 200 },
  { name: 'catalog units', method: 'GET', path: '/api/v1/catalog/units', expect: SIGNED_IN_READ, otherwise: 200 },
  { name: 'catalog metrics', method: 'GET', path: '/api/v1/catalog/metrics', expect: SIGNED_IN_READ, otherwise: 200 },
  { name: 'series', method: 'GET', path: '/api/v1/series?metric=egdi.rank&unit=VN', expect: SIGNED_IN_READ, otherwise: 200 },
  { name: 'latest', method: 'GET', path: '/api/v1/latest?metric=egdi.rank', expect: SIGNED_IN_READ, otherwise: 200 },
  {
    name: 'history',
    method: 'GET',
    path: '/api/v1/history?metric=egdi.rank&unit=VN&ts=2030-01-01T00:00:00Z',
    expect: SIGNED_IN_READ,
    otherwise: 404,
  },
  { name: 'me', method: 'GET', path: '/api/v1/auth/me', expect: SIGNED_IN_READ, otherwise: 200 },
  { name: 'list users', method: 'GET', path: '/api/v1/users', expect: { ...SIGNED_IN_READ, admin: 200 }, otherwise: 403 },
  { name: 'system alerts', method: 'GET', path: '/api/v1/system-alerts', expect: { ...SIGNED_IN_READ, admin: 200 }, otherwise: 403 },
  {
    name: 'create user',
    method: 'POST',
    path: '/api/v1/users',
    body: () => ({ username: `u${Math.random().toString(36).slice(2, 10)}`, password: 'a long enough password', role: 'viewer' }),
    expect: { ...SIGNED_IN_READ, admin: 201 },
    otherwise: 403,
  },
  {
    name: 'list viewer tokens',
    method: 'GET',
    path: '/api/v1/viewer-tokens',
    expect: { ...SIGNED_IN_READ, staff: 200, admin: 200 },
    otherwise: 403,
  },
  {
    name: 'create viewer token',
    method: 'POST',
    path: '/api/v1/viewer-tokens',
    body: { name: 'wall' },
    expect: { ...SIGNED_IN_READ, staff: 201, admin: 201 },
    otherwise: 403,
  },
  { name: 'audit log', method: 'GET', path: '/api/v1/audit', expect: { ...SIGNED_IN_READ, staff: 200, admin: 200 }, otherwise: 403 },
  {
    name: 'list agent keys',
    method: 'GET',
    path: '/api/v1/keys',
    expect: { ...SIGNED_IN_READ, operator: 200, 'operator of 01': 200, admin: 200 },
    otherwise: 403,
  },
  {
    name: 'create a key for unit 79',
    method: 'POST',
    path: '/api/v1/keys',
    body: { units: ['79'], name: 'matrix' },
    expect: { ...SIGNED_IN_READ, operator: 201, 'operator of 01': 403, admin: 201 },
    otherwise: 403,
  },
  {
    name: 'revoke a key of unit 79',
    method: 'DELETE',
    path: (ctx) => `/api/v1/keys/${ctx.key79Id}`,
    expect: { ...SIGNED_IN_READ, 'operator of 01': 403, operator: 204, admin: 204 },
    otherwise: 403,
  },
  { name: 'dashboards', method: 'GET', path: '/api/v1/dashboards', expect: SIGNED_IN_READ, otherwise: 200 },
  {
    name: 'reporting compliance',
    method: 'GET',
    path: '/api/v1/reporting/compliance?metric=einvoice.issued',
    expect: SIGNED_IN_READ,
    otherwise: 200,
  },
  {
    name: 'reporting compliance over several metrics',
    method: 'GET',
    path: '/api/v1/reporting/compliance/overview?metrics=einvoice.issued',
    expect: SIGNED_IN_READ,
    otherwise: 200,
  },
  { name: 'list alert rules', method: 'GET', path: '/api/v1/alert-rules', expect: SIGNED_IN_READ, otherwise: 200 },
  { name: 'list alerts', method: 'GET', path: '/api/v1/alerts?state=open', expect: SIGNED_IN_READ, otherwise: 200 },
  // the ingest log: operators (their own unit), staff and admin
  {
    name: 'received batches',
    method: 'GET',
    path: '/api/v1/ingest-log/batches',
    expect: { ...SIGNED_IN_READ, operator: 200, 'operator of 01': 200, staff: 200, admin: 200 },
    otherwise: 403,
  },
  {
    name: 'refused batches',
    method: 'GET',
    path: '/api/v1/ingest-log/refusals?unit=79',
    expect: { ...SIGNED_IN_READ, operator: 200, staff: 200, admin: 200 },
    otherwise: 403,
  },
  // an operator sees the alerts about its own unit only
  {
    name: 'alert timeline',
    method: 'GET',
    path: '/api/v1/alert-events?unit=79',
    expect: { ...SIGNED_IN_READ, 'operator of 01': 403 },
    otherwise: 200,
  },
  {
    name: "list another unit's alerts",
    method: 'GET',
    path: '/api/v1/alerts?unit=79',
    expect: { ...SIGNED_IN_READ, 'operator of 01': 403 },
    otherwise: 200,
  },
  {
    name: 'create an alert rule',
    method: 'POST',
    path: '/api/v1/alert-rules',
    body: {
      name: 'matrix',
      metric: 'einvoice.issued',
      scope: { kind: 'provinces' },
      condition: { type: 'above', value: 1e9 },
      severity: 'info',
      messageVi: 'vượt {threshold}',
      messageEn: 'above {threshold}',
    },
    expect: { ...SIGNED_IN_READ, staff: 201, admin: 201 },
    otherwise: 403,
  },
  {
    name: 'preview an alert rule',
    method: 'POST',
    path: '/api/v1/alert-rules/preview',
    body: {
      rule: {
        name: 'p',
        metric: 'einvoice.issued',
        scope: { kind: 'provinces' },
        condition: { type: 'above', value: 1e9 },
        severity: 'info',
        messageVi: 'a',
        messageEn: 'a',
      },
      days: 7,
    },
    expect: { ...SIGNED_IN_READ, staff: 200, admin: 200 },
    otherwise: 403,
  },
  {
    name: 'acknowledge an alert',
    method: 'POST',
    path: '/api/v1/alerts/999999/ack',
    body: { comment: 'seen' },
    expect: { ...SIGNED_IN_READ, staff: 404, admin: 404 },
    otherwise: 403,
  },
  {
    name: 'create a target',
    method: 'POST',
    path: '/api/v1/targets',
    body: () => ({
      metricCode: 'einvoice.issued',
      unitCode: '79',
      value: Math.floor(Math.random() * 1e9),
      comparator: '>=',
      deadline: '2030-12-31',
      legalSourceVi: 'x',
      legalSourceEn: 'x',
    }),
    expect: { ...SIGNED_IN_READ, staff: 201, admin: 201 },
    otherwise: 403,
  },
  {
    name: 'edit a metric',
    method: 'PUT',
    path: '/api/v1/catalog/metrics/einvoice.issued',
    body: { unitOfMeasure: 'hóa đơn/invoices' },
    expect: { ...SIGNED_IN_READ, admin: 200 },
    otherwise: 403,
  },
  {
    name: 'rename a unit',
    method: 'PUT',
    path: '/api/v1/catalog/units/46',
    body: { nameEn: 'Hue' },
    expect: { ...SIGNED_IN_READ, admin: 200 },
    otherwise: 403,
  },
  {
    name: 'change a user',
    method: 'PUT',
    path: '/api/v1/users/nobody',
    body: { disabled: true },
    expect: { ...SIGNED_IN_READ, admin: 404 },
    otherwise: 403,
  },
  {
    name: 'revoke a viewer token',
    method: 'DELETE',
    path: '/api/v1/viewer-tokens/nonexistent',
    expect: { ...SIGNED_IN_READ, staff: 404, admin: 404 },
    otherwise: 403,
  },
  { name: 'list targets', method: 'GET', path: '/api/v1/targets', expect: SIGNED_IN_READ, otherwise: 200 },
  {
    name: 'change a target',
    method: 'PUT',
    path: '/api/v1/targets/999999',
    body: TARGET,
    expect: { ...SIGNED_IN_READ, staff: 404, admin: 404 },
    otherwise: 403,
  },
  {
    name: 'delete a target',
    method: 'DELETE',
    path: '/api/v1/targets/999999',
    expect: { ...SIGNED_IN_READ, staff: 404, admin: 404 },
    otherwise: 403,
  },
  { name: 'calendar', method: 'GET', path: '/api/v1/catalog/calendar', expect: SIGNED_IN_READ, otherwise: 200 },
  {
    name: 'aggregate',
    method: 'GET',
    path: '/api/v1/aggregate?metric=einvoice.issued&units=79&from=2026-01-01T00:00:00Z',
    expect: SIGNED_IN_READ,
    otherwise: 200,
  },
  { name: 'an alert rule', method: 'GET', path: '/api/v1/alert-rules/999999', expect: SIGNED_IN_READ, otherwise: 404 },
  {
    name: 'change an alert rule',
    method: 'PUT',
    path: '/api/v1/alert-rules/999999',
    body: RULE,
    expect: { ...SIGNED_IN_READ, staff: 404, admin: 404 },
    otherwise: 403,
  },
  {
    name: 'delete an alert rule',
    method: 'DELETE',
    path: '/api/v1/alert-rules/999999',
    expect: { ...SIGNED_IN_READ, staff: 404, admin: 404 },
    otherwise: 403,
  },
  { name: 'an alert', method: 'GET', path: '/api/v1/alerts/999999', expect: SIGNED_IN_READ, otherwise: 404 },
  { name: "an alert's events", method: 'GET', path: '/api/v1/alerts/999999/events', expect: SIGNED_IN_READ, otherwise: 404 },
  // the API's documentation is public (mounted beside Nest, see src/http/docs.ts)
  { name: 'OpenAPI document', method: 'GET', path: '/api/openapi.json', expect: {}, otherwise: 200 },
  { name: 'API docs page', method: 'GET', path: '/api/docs', expect: {}, otherwise: 200 },
  { name: 'API docs page with a slash', method: 'GET', path: '/api/docs/', expect: {}, otherwise: 200 },
  { name: 'API docs script', method: 'GET', path: '/api/docs/docs-init.js', expect: {}, otherwise: 200 },
  // public: whoever calls, with whatever credential, a right password signs in (the user is created in beforeAll)
  {
    name: 'log in',
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { username: 'viewer', password: 'a long enough password' },
    expect: {},
    otherwise: 200,
  },
  // the second factor: status and switching off for every user account, enrolling for admin and staff; a viewer
  // token is no account (403 not_a_user)
  {
    name: 'second factor status',
    method: 'GET',
    path: '/api/v1/auth/totp',
    expect: { ...SIGNED_IN_READ, 'viewer token': 403 },
    otherwise: 200,
  },
  {
    name: 'enrol a second factor',
    method: 'POST',
    path: '/api/v1/auth/totp/enrol',
    expect: { ...SIGNED_IN_READ, staff: 201, admin: 201 },
    otherwise: 403,
  },
  // after the row above: staff and admin have an enrolment pending, which a wrong code does not confirm (400)
  {
    name: 'confirm a second factor',
    method: 'POST',
    path: '/api/v1/auth/totp/confirm',
    body: { code: 'not-a-code' },
    expect: { ...SIGNED_IN_READ, staff: 400, admin: 400 },
    otherwise: 403,
  },
  // the right password drops the pending enrolment (200); the others have none (409)
  {
    name: 'switch a second factor off',
    method: 'POST',
    path: '/api/v1/auth/totp/disable',
    body: { password: 'a long enough password' },
    expect: { ...SIGNED_IN_READ, 'viewer token': 403, staff: 200, admin: 200 },
    otherwise: 409,
  },
  {
    name: "reset a user's second factor",
    method: 'DELETE',
    path: '/api/v1/users/nobody/totp',
    expect: { ...SIGNED_IN_READ, admin: 404 },
    otherwise: 403,
  },
  { name: 'overdue directives per unit', method: 'GET', path: '/api/v1/directives/overdue', expect: { ...SIGNED_IN_READ }, otherwise: 200 },
  {
    name: 'list directives',
    method: 'GET',
    path: '/api/v1/directives',
    expect: { ...SIGNED_IN_READ, 'viewer token': 403, viewer: 403 },
    otherwise: 200,
  },
  {
    name: 'issue a directive (invalid body)',
    method: 'POST',
    path: '/api/v1/directives',
    body: { title: '' },
    expect: { ...SIGNED_IN_READ, staff: 400, admin: 400 },
    otherwise: 403,
  },
  {
    name: 'read a directive',
    method: 'GET',
    path: '/api/v1/directives/999999',
    expect: { ...SIGNED_IN_READ, 'viewer token': 403, viewer: 403 },
    otherwise: 404,
  },
  {
    name: 'withdraw a directive',
    method: 'POST',
    path: '/api/v1/directives/999999/withdraw',
    body: {},
    expect: { ...SIGNED_IN_READ, staff: 404, admin: 404 },
    otherwise: 403,
  },
  {
    name: "answer a unit's directive",
    method: 'POST',
    path: '/api/v1/directives/999999/units/79/answer',
    body: {},
    expect: { ...SIGNED_IN_READ, 'viewer token': 403, viewer: 403 },
    otherwise: 400,
  },
  {
    name: "upload a unit's answer attachment (empty body)",
    method: 'PUT',
    path: '/api/v1/directives/999999/units/79/attachment?fileName=a.pdf',
    expect: { ...SIGNED_IN_READ, 'viewer token': 403, viewer: 403 },
    otherwise: 400,
  },
  {
    name: "download a unit's answer attachment",
    method: 'GET',
    path: '/api/v1/directives/999999/units/79/attachment',
    expect: { ...SIGNED_IN_READ, 'viewer token': 403, viewer: 403 },
    otherwise: 404,
  },
  {
    name: 'send an answer back',
    method: 'POST',
    path: '/api/v1/directives/999999/units/79/return',
    body: {},
    expect: { ...SIGNED_IN_READ, staff: 400, admin: 400 },
    otherwise: 403,
  },
  {
    name: "close a unit's directive",
    method: 'POST',
    path: '/api/v1/directives/999999/units/79/close',
    body: {},
    expect: { ...SIGNED_IN_READ, staff: 400, admin: 400 },
    otherwise: 403,
  },
  {
    name: 'list weekly reports',
    method: 'GET',
    path: '/api/v1/reports',
    expect: { ...SIGNED_IN_READ, operator: 403, 'operator of 01': 403 },
    otherwise: 200,
  },
  {
    name: 'download a weekly report (not a Monday)',
    method: 'GET',
    path: '/api/v1/reports/2026-12-01.pdf',
    expect: { ...SIGNED_IN_READ, operator: 403, 'operator of 01': 403 },
    otherwise: 400,
  },
  {
    name: 'regenerate a weekly report (not a Monday)',
    method: 'POST',
    path: '/api/v1/reports/2026-12-01/regenerate',
    expect: { ...SIGNED_IN_READ, staff: 400, admin: 400 },
    otherwise: 403,
  },
  { name: 'list silences', method: 'GET', path: '/api/v1/silences', expect: { ...SIGNED_IN_READ, staff: 200, admin: 200 }, otherwise: 403 },
  {
    name: 'create a silence (invalid body)',
    method: 'POST',
    path: '/api/v1/silences',
    body: { reason: '' },
    expect: { ...SIGNED_IN_READ, staff: 400, admin: 400 },
    otherwise: 403,
  },
  {
    name: 'end a silence early',
    method: 'POST',
    path: '/api/v1/silences/999999/end',
    expect: { ...SIGNED_IN_READ, staff: 404, admin: 404 },
    otherwise: 403,
  },
  ...notificationCases(),
  { name: 'log out', method: 'POST', path: '/api/v1/auth/logout', expect: { ...SIGNED_IN_READ }, otherwise: 204 },
  {
    name: 'ingest with a session instead of an agent key',
    method: 'POST',
    path: '/api/v1/ingest',
    body: { batchId: 'x', points: [] },
    expect: { 'agent key': 400 },
    otherwise: 401,
  },
];

describe('authorization matrix: every endpoint × role', () => {
  let server: TestServer;
  const tokens = new Map<Caller, string>();

  beforeAll(async () => {
    server = await startTestServer();
    const auth = server.app.get(AuthService);
    const users: [Caller, Role, string | null][] = [
      ['viewer', 'viewer', null],
      ['operator', 'operator', '79'],
      ['operator of 01', 'operator', '01'],
      ['staff', 'staff', null],
      ['admin', 'admin', null],
    ];
    for (const [caller, role, unitCode] of users) {
      const username = caller.replace(/ /g, '.');
      await auth.createUser({ username, password: 'a long enough password', role, unitCode }, 'test');
      tokens.set(caller, (await auth.login(username, 'a long enough password', '127.0.0.1')).token);
    }
    tokens.set('viewer token', server.viewerToken);
    tokens.set('agent key', await server.createKey(['79']));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('has a row for every route the server registered, so a new route cannot ship without one', () => {
    const missing = registeredRoutes(server).filter(
      ({ method, path }) => !CASES.some((c) => c.method === method && routePattern(path).test(concretePath(c).split('?')[0] as string)),
    );
    expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('the OpenAPI document describes every /api/v1 route and method the server registered', async () => {
    const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const undocumented = registeredRoutes(server)
      .filter(({ path }) => path.startsWith('/api/v1/'))
      .filter(({ method, path }) => !document.paths[path.replace(/:([A-Za-z_]\w*)/g, '{$1}')]?.[method.toLowerCase()]);
    expect(undocumented.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  for (const testCase of CASES) {
    it.each(CALLERS)(`${testCase.name}: %s`, async (caller) => {
      const ctx: Context = { key79Id: '' };
      if (typeof testCase.path === 'function') {
        // a fresh key of unit 79 for each caller, so a successful revoke does not change the next row
        const key = await server.createKey(['79']);
        ctx.key79Id = key.split('_')[1] as string;
      }
      const token = tokens.get(caller);
      const body = typeof testCase.body === 'function' ? (testCase.body as (c: Context) => unknown)(ctx) : testCase.body;
      const response = await fetch(`${server.url}${typeof testCase.path === 'function' ? testCase.path(ctx) : testCase.path}`, {
        method: testCase.method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const expected = testCase.expect[caller] ?? testCase.otherwise;
      expect(response.status, `${testCase.method} ${testCase.name} as ${caller}: ${await response.text()}`).toBe(expected);
    });
  }
});

/**
 * Every route of the running server as Express holds it: Nest's controllers and what is mounted beside them (the
 * API docs), read from the router itself rather than from a list that could be forgotten. Middleware (app.use)
 * has no route and is not listed.
 */
function registeredRoutes(server: TestServer): { method: string; path: string }[] {
  const express = server.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string | string[]; methods: Record<string, boolean> } }[] };
  };
  const routes = express.router.stack.flatMap(({ route }) =>
    route
      ? [route.path].flat().flatMap((path) => Object.keys(route.methods).map((method) => ({ method: method.toUpperCase(), path })))
      : [],
  );
  // a router that cannot be read would make this check pass vacuously
  expect(routes.length).toBeGreaterThan(40);
  return routes;
}

/** "/api/v1/keys/:id" → a RegExp that a concrete path of the table matches. */
function routePattern(path: string): RegExp {
  const escaped = path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]\w*/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

function concretePath(testCase: Case): string {
  return typeof testCase.path === 'function' ? testCase.path({ key79Id: 'an-id' }) : testCase.path;
}
