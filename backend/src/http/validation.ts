import { Body, Query, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { badRequest } from './errors';

/** Validates query strings and bodies with the contract's zod schema; 400 invalid_query lists every problem. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'query', message: issue.message }));
  throw badRequest('invalid_query', `invalid request: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
}

/**
 * The one validation pipe: a handler parameter parsed by the contract's zod schema (the one the OpenAPI document is
 * generated from), so handlers receive typed, valid values and never validate by hand. A problem answers
 * 400 { error: 'invalid_query', message, details: [{ field, message }] }.
 */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, Promise<z.infer<S>>> {
  constructor(private readonly schema: S) {}

  async transform(value: unknown): Promise<z.infer<S>> {
    // Nest runs the pipes of a handler's parameters concurrently: let the path parameters' pipes (ids) settle first,
    // so a request naming nothing that exists is answered about its id whatever its body, as when handlers
    // validated by hand after reading the id.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return parseWith(this.schema, value);
  }
}

/** The request body, validated by `schema`. */
export const ValidBody = <S extends z.ZodType>(schema: S): ParameterDecorator => Body(new ZodPipe(schema));

/** The query string, validated by `schema`. */
export const ValidQuery = <S extends z.ZodType>(schema: S): ParameterDecorator => Query(new ZodPipe(schema));
