// Image references, and the part of Compose's ${VAR} interpolation the stack uses (`docker compose config` would
// do it, but needs the compose plugin, which this machine lacks).

export type Env = Record<string, string | undefined>;

const VARIABLE = /\$\$|\$\{([A-Za-z_]\w*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_]\w*)/g;

/**
 * $$ is a literal $; ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error} (with ":", an empty value
 * counts as unset). Returns the value and the variables that had neither a value nor a default.
 */
export function interpolate(text: string, env: Env): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const value = text.replace(VARIABLE, (match, braced?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const current = env[name];
    if (current !== undefined && !(colon === ':' && current === '')) return current;
    if (op === '-') return arg ?? '';
    unresolved.push(name);
    return '';
  });
  return { value, unresolved };
}

/** Every variable an interpolated string refers to (not $$-escaped ones). */
export const referencedVariables = (text: string): string[] => [
  ...new Set([...text.matchAll(VARIABLE)].map((match) => match[1] ?? match[5]).filter((name): name is string => !!name)),
];

/** The tag of an image reference (no digest), or null; a registry's :port is not a tag. */
export const imageTag = (reference: string): string | null => /:([^:/]+)$/.exec(reference.split('@')[0] as string)?.[1] ?? null;

/** The repository part of an image reference (no tag, no digest). */
export const imageName = (reference: string): string => (reference.split('@')[0] as string).replace(/:[^:/]+$/, '');

/**
 * Why an image reference is not pinned, or null when it is: a digest, or a tag that starts with an exact
 * version (at least major.minor, e.g. 2.23.1-pg17, 8.2.2-alpine, 0.1.0). No tag means "latest"; a floating
 * tag (latest, stable, alpine, 17) changes under you.
 */
export function imagePinProblem(reference: string): string | null {
  const ref = reference.trim();
  if (ref === '') return 'empty image reference';
  if (/\$\{?[A-Za-z_]/.test(ref)) return `"${ref}" still contains an unresolved variable`;
  if (/@sha256:[0-9a-f]{64}$/.test(ref)) return null;
  const tag = imageTag(ref);
  if (tag === null) return `"${ref}" has no tag (it means :latest)`;
  if (/^latest$/i.test(tag)) return `"${ref}" uses the floating tag "${tag}"`;
  if (!/^v?\d+\.\d+/.test(tag)) return `"${ref}" uses "${tag}", not an exact version (e.g. 1.2.3-alpine)`;
  return null;
}
