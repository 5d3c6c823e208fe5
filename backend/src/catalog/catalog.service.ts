import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CatalogRepository } from './catalog.repository';
import type { Metric, Target, Unit } from './catalog.types';

export interface CatalogSnapshot {
  units: Map<string, Unit>;
  metrics: Map<string, Metric>;
  targets: Target[];
  loadedAt: number;
}

/** The catalog is small and read on every ingest: keep it in memory and reload it at most every few seconds. */
const RELOAD_AFTER_MS = 15_000;

@Injectable()
export class CatalogService {
  private current: CatalogSnapshot | null = null;
  private loading: Promise<CatalogSnapshot> | null = null;

  constructor(
    @Inject(CatalogRepository) private readonly repository: CatalogRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async snapshot(): Promise<CatalogSnapshot> {
    const now = this.clock.now().getTime();
    if (this.current && now - this.current.loadedAt < RELOAD_AFTER_MS) return this.current;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Forget the cached catalog (after an edit). */
  invalidate(): void {
    this.current = null;
  }

  private async load(): Promise<CatalogSnapshot> {
    const [units, metrics, targets] = await Promise.all([
      this.repository.listUnits(),
      this.repository.listMetrics(),
      this.repository.listTargets(),
    ]);
    this.current = {
      units: new Map(units.map((u) => [u.code, u])),
      metrics: new Map(metrics.map((m) => [m.code, m])),
      targets,
      loadedAt: this.clock.now().getTime(),
    };
    return this.current;
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
