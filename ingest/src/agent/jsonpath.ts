/**
 * The small JSON-path subset an HTTP source needs: "$", "$.data.items", "$.data['tên tỉnh']", "$.rows[0]",
 * "$.provinces[*]" and "$.*". Filters and recursive descent are left out on purpose: a mapping an operator
 * cannot read at a glance is a mapping nobody can review.
 */
export type PathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export class JsonPathError extends Error {}

export function parseJsonPath(text: string): PathSegment[] {
  if (!text.startsWith('$')) throw new JsonPathError(`a path starts with "$", such as "$.data.items[*]"; got ${JSON.stringify(text)}`);
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '.') {
      if (text[i + 1] === '*') {
        segments.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const match = /^[^.[\]\s'"]+/.exec(text.slice(i + 1));
      if (!match) throw new JsonPathError(`expected a field name after "." at position ${i + 1} of ${JSON.stringify(text)}`);
      segments.push({ kind: 'key', key: match[0] });
      i += 1 + match[0].length;
    } else if (char === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) throw new JsonPathError(`"[" at position ${i} of ${JSON.stringify(text)} is never closed`);
      const inside = text.slice(i + 1, close).trim();
      if (inside === '*') segments.push({ kind: 'wildcard' });
      else if (/^\d+$/.test(inside)) segments.push({ kind: 'index', index: Number(inside) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inside)) segments.push({ kind: 'key', key: inside.slice(1, -1) });
      else throw new JsonPathError(`[${inside}] in ${JSON.stringify(text)}: use [0], [*] or ['field name']`);
      i = close + 1;
    } else {
      throw new JsonPathError(`unexpected ${JSON.stringify(char)} at position ${i} of ${JSON.stringify(text)}`);
    }
  }
  return segments;
}

/** Every value the path reaches (a wildcard fans out over array elements or object values). */
export function selectAll(segments: readonly PathSegment[], document: unknown): unknown[] {
  let current: unknown[] = [document];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const value of current) {
      if (segment.kind === 'wildcard') {
        if (Array.isArray(value)) next.push(...value);
        else if (value !== null && typeof value === 'object') next.push(...Object.values(value));
      } else if (segment.kind === 'index') {
        if (Array.isArray(value) && segment.index < value.length) next.push(value[segment.index]);
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, segment.key)) {
        next.push((value as Record<string, unknown>)[segment.key]);
      }
    }
    current = next;
  }
  return current;
}

/** The single value at a path without wildcards; undefined when it is not there. */
export function selectOne(segments: readonly PathSegment[], document: unknown): unknown {
  return selectAll(segments, document)[0];
}
