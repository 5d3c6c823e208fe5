import { Inject, Injectable } from '@nestjs/common';
import { plausibleRange, type ValueRange } from '@dxoc/contracts';
import { CLOCK, type Clock } from '../common/clock';
import { CatalogRepository } from './catalog.repository';
import type { Metric, Target, Unit } from './catalog.types';

export interface CatalogSnapshot {
  units: Map<string, Unit>;
  /** with their finite range filled in (plausibleRange): min and max are never null here */
  metrics: Map<string, Metric & ValueRange>;
  targets: Target[];
  loadedAt: number;
}

/** The catalog is small and read on every ingest: keep it in memory and reload it at most every few seconds. */
const RELOAD_AFTER_MS = 15_000;

@Injectable()
export class CatalogService {
  private current: CatalogSnapshot | null = null;
  private loading: Promise<CatalogSnapshot> | null = null;
  /** Bumped by invalidate(): a load that began before an edit committed must not become the cached catalog. */
  private generation = 0;

  constructor(
    @Inject(CatalogRepository) private readonly repository: CatalogRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async snapshot(): Promise<CatalogSnapshot> {
    const now = this.clock.now().getTime();
    if (this.current && now - this.current.loadedAt < RELOAD_AFTER_MS) return this.current;
    if (!this.loading) {
      const loading = this.load().finally(() => {
        if (this.loading === loading) this.loading = null;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  /**
   * Forget the cached catalog (after an edit). A load still under way read the catalog before the edit (on a
   * server, it was seen answering "unknown unit" for seconds after the seed committed): it is dropped too, so the
   * next snapshot() reads again.
   */
  invalidate(): void {
    this.current = null;
    this.loading = null;
    this.generation += 1;
  }

  private async load(): Promise<CatalogSnapshot> {
    const generation = this.generation;
    const [units, metrics, targets] = await Promise.all([
      this.repository.listUnits(),
      this.repository.listMetrics(),
      this.repository.listTargets(),
    ]);
    const snapshot = {
      units: new Map(units.map((u) => [u.code, u])),
      // Every metric has a finite range (a bound left unset is the default for its unit of measure): ingest, targets
      // and alert rules check against it and the catalog API shows it, so no value can reach a size that breaks sums.
      metrics: new Map(metrics.map((m) => [m.code, { ...m, ...plausibleRange(m) }])),
      targets,
      loadedAt: this.clock.now().getTime(),
    };
    if (generation === this.generation) this.current = snapshot;
    return snapshot;
  }

  /** A unit plus every unit it absorbed, transitively (79 → 74, 77). */
  static withPredecessors(units: Map<string, Unit>, code: string): string[] {
    const seen = new Set<string>([code]);
    const queue = [code];
    while (queue.length > 0) {
      const next = units.get(queue.shift() as string);
      for (const predecessor of next?.predecessors ?? []) {
        if (!seen.has(predecessor)) {
          seen.add(predecessor);
          queue.push(predecessor);
        }
      }
    }
    return [...seen];
  }
}
