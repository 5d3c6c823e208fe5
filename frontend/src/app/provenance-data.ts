/**
 * Loads what the unit view of one indicator shows (wall overlay and console page): the unit's series, every
 * revision of the value explained, and the unit's reporting record. Each part fails on its own: a missing
 * compliance answer does not hide the revisions.
 */
import { useEffect, useState } from 'react';
import type { HistoryResponse } from '@dxoc/contracts';
import { ApiError, type Api, type Metric, type Unit } from '../lib/api';
import { reportingRowOf, selectedPoint, seriesQuery, type ProvenanceSubject, type ReportingRow } from '../lib/provenance';
import type { Pt } from '../lib/series-buffer';

export type PartState = 'loading' | 'ready' | 'error';

export interface ProvenanceData {
  series: { state: PartState; points: Pt[] };
  history: { state: PartState; answer: HistoryResponse | null; ts: number | null };
  reporting: { state: PartState; row: ReportingRow | null };
}

const INITIAL: ProvenanceData = {
  series: { state: 'loading', points: [] },
  history: { state: 'loading', answer: null, ts: null },
  reporting: { state: 'loading', row: null },
};

const toPoints = (points: Array<{ ts: string; value: number }>): Pt[] => points.map((p) => ({ t: new Date(p.ts).getTime(), v: p.value }));

/** The unit's raw series; a range too long to read raw is read by day, and the newest raw value found apart. */
async function loadSeries(api: Api, subject: ProvenanceSubject, metric: Metric, signal: AbortSignal): Promise<Pt[]> {
  const query = seriesQuery(subject, metric.cadence, Date.now());
  try {
    return toPoints((await api.series(query, signal)).points);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    const [daily, recent] = await Promise.all([
      api.series({ ...query, bucket: '1d', agg: metric.defaultAggregation }, signal),
      api.series({ ...subject, from: new Date(Date.now() - 86_400_000).toISOString() }, signal),
    ]);
    const points = toPoints(daily.points);
    const newest = toPoints(recent.points).at(-1);
    return newest ? [...points.filter((p) => p.t < newest.t), newest] : points;
  }
}

/**
 * `selectedTs`: the value whose revisions are listed (null: the newest). `refresh`: bump to read again (a live
 * value for the unit arrived).
 */
export function useProvenanceData(
  api: Api,
  subject: ProvenanceSubject,
  metric: Metric | undefined,
  unit: Unit | undefined,
  selectedTs: number | null,
  refresh: number,
): ProvenanceData {
  const [data, setData] = useState<ProvenanceData>(INITIAL);

  useEffect(() => {
    setData(INITIAL);
  }, [subject.metric, subject.unit]);

  // the unit's series
  useEffect(() => {
    if (!metric) return;
    const controller = new AbortController();
    loadSeries(api, subject, metric, controller.signal).then(
      (points) => setData((d) => ({ ...d, series: { state: 'ready', points } })),
      () => {
        if (!controller.signal.aborted)
          setData((d) => ({ ...d, series: { state: 'error', points: [] }, history: { state: 'error', answer: null, ts: null } }));
      },
    );
    return () => controller.abort();
    // subject is read through its fields
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, subject.metric, subject.unit, metric, refresh]);

  // the revisions of the value explained: the picked one, else the newest (read again when the series is)
  const points = data.series.state === 'ready' ? data.series.points : null;
  useEffect(() => {
    if (!points) return;
    const point = selectedPoint(points, selectedTs);
    if (!point) {
      setData((d) => ({ ...d, history: { state: 'ready', answer: null, ts: null } }));
      return;
    }
    const controller = new AbortController();
    api.history({ ...subject, ts: new Date(point.t).toISOString() }, controller.signal).then(
      (answer) => setData((d) => ({ ...d, history: { state: 'ready', answer, ts: point.t } })),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const none = error instanceof ApiError && error.status === 404;
        setData((d) => ({ ...d, history: { state: none ? 'ready' : 'error', answer: null, ts: point.t } }));
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, subject.metric, subject.unit, points, selectedTs]);

  // the unit's reporting record for this indicator
  useEffect(() => {
    if (!unit) return;
    const controller = new AbortController();
    api
      .compliance({ metric: subject.metric, unitKind: unit.kind }, controller.signal)
      .then((answer) => setData((d) => ({ ...d, reporting: { state: 'ready', row: reportingRowOf(answer, subject.unit) } })))
      .catch(() => {
        if (!controller.signal.aborted) setData((d) => ({ ...d, reporting: { state: 'error', row: null } }));
      });
    return () => controller.abort();
  }, [api, subject.metric, subject.unit, unit, refresh]);

  return data;
}
