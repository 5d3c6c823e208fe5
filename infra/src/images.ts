// Image references and Compose-style ${VAR} interpolation.

export type Env = Record<string, string | undefined>;

/**
 * Compose interpolation: $$ is a literal $; ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}
 * and ${VAR:+alt}. Returns the value and the variables that had neither a value nor a default.
 */
export function interpolate(text: string, env: Env): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const value = text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced, op, arg, bare) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const current = env[name];
    const set = current !== undefined;
    const nonEmpty = set && current !== '';
    switch (op as string | undefined) {
      case ':-':
        return nonEmpty ? (current as string) : (arg as string);
      case '-':
        return set ? (current as string) : (arg as string);
      case ':+':
        return nonEmpty ? (arg as string) : '';
      case '+':
        return set ? (arg as string) : '';
      case ':?':
      case '?':
      default:
        if ((op === ':?' && !nonEmpty) || (op !== ':?' && !set)) {
          unresolved.push(name);
          return '';
        }
        return current as string;
    }
  });
  return { value, unresolved };
}

/** Every variable an interpolated string refers to (not $$-escaped ones). */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = match[1] ?? match[2];
    if (name) names.add(name);
  }
  return [...names];
}

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
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  if (colon < 0) return `"${ref}" has no tag (it means :latest)`;
  const tag = ref.slice(colon + 1);
  if (tag === '' || /^latest$/i.test(tag)) return `"${ref}" uses the floating tag "${tag || '(empty)'}"`;
  if (!/^v?\d+\.\d+/.test(tag)) return `"${ref}" uses "${tag}", not an exact version (e.g. 1.2.3-alpine)`;
  return null;
}

/** The repository part of an image reference (no tag, no digest). */
export function imageName(reference: string): string {
  const withoutDigest = reference.split('@')[0] as string;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
}

/** The tag of an image reference, or null. */
export function imageTag(reference: string): string | null {
  const withoutDigest = reference.split('@')[0] as string;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon < 0 ? null : withoutDigest.slice(colon + 1);
}
