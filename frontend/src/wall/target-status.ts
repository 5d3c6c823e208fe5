import { useEffect, useState } from 'react';
import type { TargetStatusRow } from '../lib/targets';
import { useWall } from './context';

/**
 * The backend's status of the current targets of one (metric, unit), for a tile: read again whenever `asOf` (the
 * time of the tile's newest value) changes, so the tile says what GET /api/v1/targets says. null until loaded or
 * when the request fails (the tile then shows the progress alone).
 */
export function useTargetStatus(metric: string, unit: string, asOf: number | null, enabled: boolean): TargetStatusRow[] | null {
  const { api } = useWall();
  const [rows, setRows] = useState<TargetStatusRow[] | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    api.targets({ metric, unit, when: 'current' }, controller.signal).then(
      (answer) => setRows(answer.targets),
      () => {
        if (!controller.signal.aborted) setRows(null);
      },
    );
    return () => controller.abort();
  }, [api, metric, unit, asOf, enabled]);
  return rows;
}
