/**
 * The KPI numbers first (issue 14 goal 6). A page asks the backend for ~20 things at once when it opens; the
 * embedded database answers them one after another, so a KPI tile's figures, and above all a second request a tile
 * makes once its first answer is in (the whole history, when its range holds fewer than two points), waited behind
 * the maps', rankings', charts' and references' requests. While a page's KPI tiles have not all had their first
 * figures, every other request of the page waits; then they all go. A tile whose figures never come (the backend
 * gone) does not hold the rest longer than a few seconds.
 */
import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { Api } from '../lib/api';

/** How long at most the rest of a page waits for its KPI tiles' first figures. */
export const FIRST_FIGURES_WAIT_MS = 3_000;

/** A page's KPI tiles still waiting for their first figures; `opened` resolves once none is. */
export class FirstFigures {
  readonly opened: Promise<void>;
  private readonly waiting: Set<string>;
  private open!: () => void;
  private isOpen = false;

  constructor(tileIds: readonly string[]) {
    this.waiting = new Set(tileIds);
    this.opened = new Promise<void>((resolve) => (this.open = resolve));
    if (this.waiting.size === 0) this.release();
  }

  get released(): boolean {
    return this.isOpen;
  }

  /** This tile's first figures are in, or could not be had: it holds the rest no longer. */
  settled(tileId: string): void {
    this.waiting.delete(tileId);
    if (this.waiting.size === 0) this.release();
  }

  /** Let everything go, figures in or not. */
  release(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.open();
  }
}

/** The wall's API for what is not a KPI tile's own figures: each request waits until the gate is open. */
export class LaterApi extends Api {
  constructor(
    private readonly gate: FirstFigures,
    base = '',
  ) {
    super('wall', base);
  }

  override async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    if (!this.gate.released) {
      await this.gate.opened;
      signal?.throwIfAborted();
    }
    return super.request<T>(method, path, body, signal);
  }
}

/** What a KPI tile gets: the API that does not wait, and where to say its first figures are in. */
export interface FirstFiguresEnv {
  api: Api;
  settled: (tileId: string) => void;
}

export const FirstFiguresContext = createContext<FirstFiguresEnv | null>(null);

export function useFirstFigures(): FirstFiguresEnv | null {
  return useContext(FirstFiguresContext);
}

/**
 * The gate of one page, for a component that lives as long as the page does (keyed by it): the API the rest of the
 * page uses, and the env its KPI tiles get. The wait is bounded by FIRST_FIGURES_WAIT_MS.
 */
export function usePageGate(tileIds: readonly string[], api: Api) {
  const [gate] = useState(() => new FirstFigures(tileIds));
  useEffect(() => {
    const timer = setTimeout(() => gate.release(), FIRST_FIGURES_WAIT_MS);
    return () => {
      clearTimeout(timer);
      // a page left before its tiles had their figures: nothing of it waits any more
      gate.release();
    };
  }, [gate]);
  const later = useMemo(() => new LaterApi(gate), [gate]);
  const tiles = useMemo<FirstFiguresEnv>(() => ({ api, settled: (id) => gate.settled(id) }), [api, gate]);
  return { later, tiles };
}
