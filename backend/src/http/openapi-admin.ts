import { z } from 'zod';
import {
  AgentKeySchema,
  AuditEntrySchema,
  AuditQuery,
  CreateAgentKeyRequest,
  CreatedAgentKey,
  CreatedViewerToken,
  CreateUserRequest,
  CreateViewerTokenRequest,
  MetricSchema,
  MetricUpdate,
  PrincipalSchema,
  TargetInput,
  TargetSchema,
  UnitSchema,
  UnitUpdate,
  UpdateUserRequest,
  UserSchema,
  ViewerTokenSchema,
} from '@dxoc/contracts';
import { DashboardPage } from '@dxoc/dashboards';
import { error, json, queryParameters, schema } from './openapi';

const pathId = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const body = (type: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(type, 'input') } } });
const noContent = (description: string) => ({ description });

/** POST /api/v1/targets, beside the public GET of the same path. */
export function createTargetOperation(): Record<string, unknown> {
  return {
    summary: 'Create a target (staff, admin), with its deadline and legal source',
    requestBody: body(TargetInput),
    responses: { '201': json(TargetSchema, 'created'), '400': error('invalid target') },
  };
}

/**
 * The paths of the console's administration: who is signed in, users, viewer tokens, agent keys, the audit log,
 * catalog edits, targets and the wall's pages. Built from the same contracts that validate the requests.
 */
export function adminPaths(): Record<string, unknown> {
  return {
    '/api/v1/auth/logout': {
      post: { summary: 'End this session (its token stops working on every instance)', responses: { '204': noContent('signed out') } },
    },
    '/api/v1/auth/me': {
      get: {
        summary: 'Who is calling: a user or a viewer token, with its role and unit',
        responses: { '200': json(PrincipalSchema, 'the caller') },
      },
    },
    '/api/v1/users': {
      get: {
        summary: 'Users (admin)',
        responses: { '200': json(z.object({ users: z.array(UserSchema) }), 'users'), '403': error('not an admin') },
      },
      post: {
        summary: 'Create a user (admin); an operator is bound to one unit',
        requestBody: body(CreateUserRequest),
        responses: { '201': json(UserSchema, 'created'), '400': error('invalid user'), '409': error('username taken') },
      },
    },
    '/api/v1/users/{id}': {
      put: {
        summary: 'Change a user (admin): role, unit, disabled, a new password; their sessions end',
        parameters: [pathId('id', 'user id')],
        requestBody: body(UpdateUserRequest),
        responses: { '200': json(UserSchema, 'changed'), '400': error('invalid change'), '404': error('no such user') },
      },
    },
    '/api/v1/viewer-tokens': {
      get: {
        summary: "Viewer tokens of the wall's screens (staff, admin)",
        responses: { '200': json(z.object({ viewerTokens: z.array(ViewerTokenSchema) }), 'viewer tokens') },
      },
      post: {
        summary: 'Create a viewer token (staff, admin); the token is shown once',
        requestBody: body(CreateViewerTokenRequest),
        responses: { '201': json(CreatedViewerToken, 'created: keep the token, it is not shown again'), '400': error('invalid name') },
      },
    },
    '/api/v1/viewer-tokens/{id}': {
      delete: {
        summary: 'Revoke a viewer token (staff, admin); walls using it are disconnected',
        parameters: [pathId('id', 'viewer token id')],
        responses: { '204': noContent('revoked'), '404': error('no such token') },
      },
    },
    '/api/v1/keys': {
      get: {
        summary: "Agent keys (an operator: its unit's; an admin: all)",
        responses: { '200': json(z.object({ keys: z.array(AgentKeySchema) }), 'keys') },
      },
      post: {
        summary: 'Create an agent key (an operator: for its unit only); the key is shown once',
        requestBody: body(CreateAgentKeyRequest),
        responses: {
          '201': json(CreatedAgentKey, 'created: keep the key, it is not shown again'),
          '400': error('invalid units'),
          '403': error('another unit'),
        },
      },
    },
    '/api/v1/keys/{id}': {
      delete: {
        summary: 'Revoke an agent key: no batch is stored with it from then on, on any instance',
        parameters: [pathId('id', 'key id')],
        responses: {
          '204': noContent('revoked'),
          '403': error("another unit's key"),
          '404': error('no such key'),
          '409': error('already revoked'),
        },
      },
    },
    '/api/v1/audit': {
      get: {
        summary: 'The audit log, newest first (staff, admin); filtered by who, what and when, paged with before',
        parameters: queryParameters(AuditQuery),
        responses: { '200': json(z.object({ entries: z.array(AuditEntrySchema) }), 'entries'), '400': error('invalid query') },
      },
    },
    '/api/v1/catalog/metrics/{code}': {
      put: {
        summary: "Change an indicator's names, unit, plausible range or reporting period (admin)",
        parameters: [pathId('code', 'metric code')],
        requestBody: body(MetricUpdate),
        responses: { '200': json(MetricSchema, 'changed'), '400': error('invalid change'), '404': error('unknown metric') },
      },
    },
    '/api/v1/catalog/units/{code}': {
      put: {
        summary: "Change a unit's names, validity or successor (admin)",
        parameters: [pathId('code', 'unit code')],
        requestBody: body(UnitUpdate),
        responses: { '200': json(UnitSchema, 'changed'), '400': error('invalid change'), '404': error('unknown unit') },
      },
    },
    '/api/v1/targets/{id}': {
      put: {
        summary: 'Change a target (staff, admin)',
        parameters: [pathId('id', 'target id')],
        requestBody: body(TargetInput),
        responses: { '200': json(TargetSchema, 'changed'), '400': error('invalid target'), '404': error('no such target') },
      },
      delete: {
        summary: 'Retire a target (staff, admin)',
        parameters: [pathId('id', 'target id')],
        responses: { '204': noContent('retired'), '404': error('no such target') },
      },
    },
    '/api/v1/dashboards': {
      get: {
        summary: "The wall's pages (dashboards as code), readable by any signed-in user or viewer token",
        responses: { '200': json(z.object({ pages: z.array(DashboardPage) }), 'pages') },
      },
    },
  };
}
