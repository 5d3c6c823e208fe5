import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { findDuplicateKey, formatPath, MAX_JSON_DEPTH, refuseDuplicateKeys } from './duplicate-keys';

function scan(text: string): string | null {
  const found = findDuplicateKey(Buffer.from(text, 'utf8'));
  return found ? `${formatPath([...found.at, found.key])}` : null;
}

describe('findDuplicateKey', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"points":[{"metric":"m","unit":"01","unit":"79","ts":"t","value":1}]}', 'points[0].unit'],
    ['{"a":1,"b":{"c":1,"c":2}}', 'b.c'],
    ['{"p":[{"u":1},{"u":1,"v":[1,2,{"x":1,"\\u0078":2}]}]}', 'p[1].v[2].x'],
    ['{"é":1,"\\u00e9":2}', '["é"]'],
    ['{"a\\"b":1,"a\\"b":2}', '["a\\"b"]'],
    ['{"a":"x\\\\","a":1}', 'a'],
    ['{ "a" : 1 ,\n\t"a" : 2 }', 'a'],
    ['{"":1,"":2}', '[""]'],
    ['{"__proto__":1,"__proto__":2}', '__proto__'],
  ])('finds the repeated key of %s at %s', (text, path) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(scan(text)).toBe(path);
  });

  it.each([
    ['a value equal to a key', '{"a":"a","b":"a"}'],
    ['equal strings in an array', '["a","a"]'],
    ['the same key in nested objects', '{"a":{"a":{"a":1}}}'],
    ['the same key in sibling objects', '{"p":[{"u":1},{"u":2}]}'],
    ['an escaped quote in a value', '{"a":"x\\"y","b":"\\\\","c":1}'],
    ['keys that differ only by an escape', '{"a\\\\":1,"a":2}'],
    ['malformed JSON (left to JSON.parse)', '{"a":1,"b":'],
  ])('finds nothing in %s', (_name, text) => {
    expect(scan(text)).toBeNull();
  });

  it('checks large objects through a set and finds a repeat among hundreds of keys', () => {
    const keys = Array.from({ length: 300 }, (_, i) => `"k${i}":${i}`);
    expect(scan(`{${keys.join(',')}}`)).toBeNull();
    expect(scan(`{${keys.join(',')},"k17":0}`)).toBe('k17');
    expect(scan(`{"outer":{${keys.join(',')},"\\u006b299":0}}`)).toBe('outer.k299');
  });

  it('agrees with the document on random trees (keys with escapes and unicode, whitespace, nesting)', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const names = ['a', 'b', 'unit', 'é', 'x"y', 'back\\slash', ''];
    // a key written plainly or with every character as \uXXXX: the same key to JSON.parse
    const encodeKey = (key: string) =>
      random() < 0.3 ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(key);
    const space = () => (random() < 0.2 ? ' \n' : '');
    for (let round = 0; round < 500; round++) {
      let first: string | null = null;
      const value = (path: (string | number)[], depth: number): string => {
        const r = random();
        if (depth > 3 || r < 0.3)
          return random() < 0.5 ? String(Math.floor(random() * 100)) : JSON.stringify(names[Math.floor(random() * names.length)]);
        if (r < 0.55) {
          const n = Math.floor(random() * 4);
          return `[${Array.from({ length: n }, (_, i) => space() + value([...path, i], depth + 1)).join(',')}]`;
        }
        const n = Math.floor(random() * 5);
        const seen = new Set<string>();
        const members: string[] = [];
        for (let i = 0; i < n; i++) {
          const key = names[Math.floor(random() * names.length)] as string;
          if (seen.has(key) && first === null) first = formatPath([...path, key]);
          seen.add(key);
          members.push(`${space()}${encodeKey(key)}${space()}:${space()}${value([...path, key], depth + 1)}`);
        }
        return `{${members.join(',')}}`;
      };
      const text = value([], 0);
      expect(() => JSON.parse(text), text).not.toThrow();
      expect(scan(text), text).toBe(first);
    }
  });
});

describe('refuseDuplicateKeys: nesting', () => {
  const refusal = (text: string) => {
    try {
      refuseDuplicateKeys(null, null, Buffer.from(text));
      return null;
    } catch (error) {
      return error as AppError;
    }
  };

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more with 400, naming where (before JSON.parse and zod recurse)`, () => {
    expect(refusal(`${'['.repeat(MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH)}`)).toBeNull();
    const error = refusal(`{"points":[${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}]}`);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_batch' });
    expect(error?.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels (at points[0].a.a.a.a.a.a…)`);
  });

  it('refuses 100,000 levels without overflowing the stack', () => {
    expect(refusal(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)?.message).toContain('deeper than');
  });
});
