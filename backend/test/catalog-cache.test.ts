/** The catalog cache: an edit (a seed, an admin change) is seen at once, even by a load that was under way. */
import { describe, expect, it } from 'vitest';
import { CatalogService } from '../src/catalog/catalog.service';
import type { CatalogRepository } from '../src/catalog/catalog.repository';
import type { Unit } from '../src/catalog/catalog.types';

describe('CatalogService', () => {
  it('drops a load that read the catalog before an edit committed: the next snapshot reads again', async () => {
    let units: string[] = [];
    let release: () => void = () => undefined;
    let reads = 0;
    const repository = {
      // each read sees the catalog as it is when it starts, and answers when the test releases it
      listUnits: async () => {
        reads += 1;
        const seen = [...units];
        await new Promise<void>((resolve) => (release = resolve));
        return seen.map((code) => ({ code }) as Unit);
      },
      listMetrics: async () => [],
      listTargets: async () => [],
    } as unknown as CatalogRepository;
    const catalog = new CatalogService(repository, { now: () => new Date() });

    const early = catalog.snapshot(); // e.g. the alert sweep at startup, before the seed commits
    await Promise.resolve();
    units = ['01', '79']; // the seed commits…
    catalog.invalidate(); // …and says so
    release();
    expect([...(await early).units.keys()]).toEqual([]); // the early caller gets what it read

    const after = catalog.snapshot();
    await new Promise((resolve) => setTimeout(resolve, 0));
    release();
    expect([...(await after).units.keys()]).toEqual(['01', '79']);
    expect(reads).toBe(2);
    // and that one is cached
    expect([...(await catalog.snapshot()).units.keys()]).toEqual(['01', '79']);
    expect(reads).toBe(2);
  });
});
