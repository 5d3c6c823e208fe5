/**
 * The words of the agent's YAML that the agent section and every kind of source share: names, durations in
 * seconds, JSON paths and mappings. A source module builds its entry from these with sourceSchema
 * (sources/source.ts); config.ts puts the entries of every registered kind together.
 */
import { z } from 'zod';
import { JsonPathError, parseJsonPath } from './jsonpath';
import type { FieldSpec } from './mapping';

const NAME = /^[A-Za-z0-9_-]{1,40}$/;
export const NameSchema = z.string().regex(NAME, 'letters, digits, "-" and "_", at most 40 (it becomes part of batch ids and file names)');
export const seconds = (fallback: number) => z.number().positive().default(fallback);

export const JsonPathSchema = z.string().superRefine((text, ctx) => {
  try {
    parseJsonPath(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof JsonPathError ? error.message : String(error) });
  }
});

const tsFormat = z
  .string()
  .refine(
    (f) => f === 'iso' || f === 'epoch-seconds' || f === 'epoch-millis' || /yyyy/.test(f),
    'format is "iso", "epoch-seconds", "epoch-millis" or a pattern with yyyy, MM, dd, HH, mm, ss such as "dd/MM/yyyy HH:mm"',
  );

const FieldSpecSchema = z.strictObject({
  column: z.string().min(1).optional(),
  path: JsonPathSchema.optional(),
  const: z.union([z.string().min(1), z.number()]).optional(),
  now: z.enum(['exact', 'minute', 'hour', 'day']).optional(),
  format: tsFormat.optional(),
  decimal: z.enum(['.', ',']).optional(),
});

/** metric: dvc.services_online is short for metric: { const: dvc.services_online } */
const codeField = z.union([
  z
    .string()
    .min(1)
    .transform((value) => ({ const: value }) as FieldSpec),
  FieldSpecSchema,
]);

const MappingSchema = z.strictObject({ metric: codeField, unit: codeField, ts: FieldSpecSchema, value: FieldSpecSchema });
/** One mapping, or a list of them (a wide row: one point per mapping). */
export const MappingsSchema = z.preprocess(
  (value) => (Array.isArray(value) || value === undefined ? value : [value]),
  z.array(MappingSchema).min(1),
);
