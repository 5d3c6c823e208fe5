import type { z } from 'zod';
import { badRequest } from './errors';

/** Validates query strings and bodies with the contract's zod schema; 400 lists every problem. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'query', message: issue.message }));
  throw badRequest('invalid_query', `invalid request: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
}
