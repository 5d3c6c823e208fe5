/**
 * An audit entry's before and after, field by field, for people to read: only the fields that changed (all of
 * them for a creation or a deletion), nested objects flattened to dotted paths, secrets never shown. Pure.
 */

export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** Fields whose values are secrets (password hashes, token digests, TOTP seeds, keys): shown as "•••". */
const SECRET = /pass(word)?|hash|secret|token|totp|seed|digest|^key$|apikey|salt/i;
export const REDACTED = '•••';

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, value);
    for (const [key, inner] of entries) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) out.set(prefix, value);
  else if (value !== null && value !== undefined) out.set('value', value);
}

function show(field: string, value: unknown): string | null {
  if (value === undefined) return null;
  if (field.split('.').some((part) => SECRET.test(part))) return REDACTED;
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** What changed between before and after, in field order of after then before. */
export function auditDiff(before: unknown, after: unknown): FieldChange[] {
  const b = new Map<string, unknown>();
  const a = new Map<string, unknown>();
  flatten(before, '', b);
  flatten(after, '', a);
  const fields = [...new Set([...a.keys(), ...b.keys()])];
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const was = b.get(field);
    const now = a.get(field);
    if (b.has(field) && a.has(field) && JSON.stringify(was) === JSON.stringify(now)) continue;
    changes.push({ field, before: b.has(field) ? show(field, was) : null, after: a.has(field) ? show(field, now) : null });
  }
  return changes;
}
