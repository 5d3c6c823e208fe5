/** Kind → source: what config.ts validates an entry with, and what agent.ts and check.ts make a source with. */
import { z } from 'zod';
import type { Report, ResolveContext, RunningSource, Source, SourceConfig, SourceContext } from './source';

export class SourceRegistry {
  private readonly byKind = new Map<string, Source>();

  constructor(sources: readonly Source[]) {
    for (const source of sources) {
      if (this.byKind.has(source.kind)) throw new Error(`two sources of kind "${source.kind}"`);
      this.byKind.set(source.kind, source);
    }
    if (this.byKind.size === 0) throw new Error('a source registry needs at least one kind of source');
  }

  /** A registry with one more kind (tests, or an installation's own build). */
  with(source: Source): SourceRegistry {
    return new SourceRegistry([...this.byKind.values(), source]);
  }

  get kinds(): string[] {
    return [...this.byKind.keys()];
  }

  /** One entry of `sources:`: the discriminated union of every kind's schema, by `kind`. */
  entrySchema(): z.ZodType<SourceConfig> {
    const [first, ...rest] = [...this.byKind.values()].map((source) => source.schema);
    if (!first) throw new Error('a source registry needs at least one kind of source');
    const kinds = this.kinds.map((kind) => `"${kind}"`);
    const expected = kinds.length === 1 ? kinds.join('') : `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
    return z.discriminatedUnion('kind', [first, ...rest], {
      error: (issue) => (issue.code === 'invalid_union' ? `kind must be ${expected}` : undefined),
    });
  }

  reads(config: SourceConfig): Source['reads'] {
    return this.get(config).reads;
  }

  refine(entry: SourceConfig, report: Report): void {
    this.get(entry).refine?.(entry, report);
  }

  resolve(entry: SourceConfig, context: ResolveContext): SourceConfig {
    return this.get(entry).resolve(entry, context);
  }

  create(config: SourceConfig, context: SourceContext): RunningSource {
    return this.get(config).create(config, context);
  }

  private get(config: SourceConfig): Source {
    const source = this.byKind.get(config.kind);
    if (!source) throw new Error(`no source of kind "${config.kind}" (known: ${this.kinds.join(', ')})`);
    return source;
  }
}
