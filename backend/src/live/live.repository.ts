import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../db/database';
import { CLOCK, type Clock } from '../common/clock';
import { ALERT_COLUMNS, type AlertRow } from '../db/alert-rows';
import { ALERT_SILENCE_COLUMNS, alertSilenceJoin, toSilencedAlert, type AlertSilenceColumns } from '../silences/silence-matcher';
import type { AlertEvent, DirectiveLiveEvent } from '@dxoc/contracts';
import { STREAM_ORDER_LOCK } from '../ingest/observations.repository';

/**
 * Stored values in commit order, as columns: value i is `value[i]` of `metric[i]` for `unit[i]` at `ts[i]` (epoch ms),
 * at stream position `seq[i]` (increasing). Read once per tick and sliced into every client's deltas as is.
 */
export interface StreamPoints {
  seq: number[];
  metric: string[];
  unit: string[];
  ts: number[];
  value: number[];
}

export interface StreamAlertEvent extends AlertEvent {
  seq: number;
}

/** A directive event at its stream position, with the units its directive is addressed to (to filter for operators). */
export interface StreamDirectiveEvent extends DirectiveLiveEvent {
  units: string[];
}

/** Reads the stream positions written by ingest (observation.stream_seq), alerts (alert_event.seq) and directives (directive_event.seq). */
@Injectable()
export class LiveRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The positions up to which the streams are committed. Observations: ingest writes batches side by side, each
   * holding STREAM_ORDER_LOCK shared until it commits; taking it exclusively waits for the batches in flight (new
   * ones wait behind it for as long as one statement) and the observation sequence read then is a position below
   * which nothing can still commit. The largest committed stream_seq would not do: a batch that took smaller
   * positions may commit after it. Alerts and directives are written one at a time: their largest seq is committed.
   */
  async positions(): Promise<{ obs: number; alert: number; dir: number }> {
    // One statement, its own transaction: the lock is held from the moment it is granted to the statement's end, with
    // no round trip in between (a transaction of several statements held writers up for each of them, and for the
    // event loop's lag between them). The sequence is read after the lock is granted: the lateral join reads it for
    // the function's row. The embedded database runs one transaction at a time, so nothing is in flight there.
    const lock = this.db.driver === 'pglite' ? '(SELECT true) AS l(locked)' : 'pg_advisory_xact_lock($1) AS l(locked)';
    const { rows } = await this.db.query<{ obs: number; alert: number; dir: number }>(
      `SELECT s.obs,
              COALESCE((SELECT max(seq) FROM alert_event), 0)::float8 AS alert,
              COALESCE((SELECT max(seq) FROM directive_event), 0)::float8 AS dir
       FROM ${lock}
       CROSS JOIN LATERAL (SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::float8 AS obs FROM observation_stream_seq
                           WHERE l.locked IS NOT NULL) s`,
      this.db.driver === 'pglite' ? [] : [STREAM_ORDER_LOCK],
    );
    return rows[0] ?? { obs: 0, alert: 0, dir: 0 };
  }

  async directiveEventsAfter(after: number, upTo: number | null, limit: number): Promise<StreamDirectiveEvent[]> {
    const { rows } = await this.db.query<StreamDirectiveEvent & { at: Date }>(
      `SELECT e.seq::float8 AS seq, e.directive_id::int AS "directiveId", e.unit_code AS unit, e.kind, e.at,
              ARRAY(SELECT a.unit_code FROM directive_assignment a WHERE a.directive_id = e.directive_id ORDER BY a.unit_code) AS units
       FROM directive_event e WHERE e.seq > $1 AND ($2::bigint IS NULL OR e.seq <= $2) ORDER BY e.seq LIMIT $3`,
      [after, upTo, limit],
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }

  /**
   * Values stored after position `after` (and at most `upTo`), in commit order, as columns. metrics null = all.
   * The database gives ts as epoch ms (no Date, no text in between).
   */
  async pointsAfter(after: number, upTo: number | null, metrics: string[] | null, limit: number): Promise<StreamPoints> {
    const { rows } = await this.db.query<{ seq: number; metric: string; unit: string; ts: number; value: number }>(
      `SELECT stream_seq::float8 AS seq, metric, unit, floor(extract(epoch FROM ts) * 1000)::float8 AS ts, value FROM observation
       WHERE stream_seq > $1 AND ($2::bigint IS NULL OR stream_seq <= $2) AND ($3::text[] IS NULL OR metric = ANY($3))
       ORDER BY stream_seq LIMIT $4`,
      [after, upTo, metrics, limit],
    );
    const points: StreamPoints = { seq: [], metric: [], unit: [], ts: [], value: [] };
    for (const row of rows) {
      points.seq.push(row.seq);
      points.metric.push(row.metric);
      points.unit.push(row.unit);
      points.ts.push(row.ts);
      points.value.push(row.value);
    }
    return points;
  }

  /** Each event's alert as it is now, with the silence covering it now (the wall marks silenced alerts). */
  async alertEventsAfter(after: number, upTo: number | null, limit: number): Promise<StreamAlertEvent[]> {
    const { rows } = await this.db.query<AlertRow & AlertSilenceColumns & { seq: number; transition: AlertEvent['transition'] }>(
      `SELECT e.seq::float8 AS seq, e.transition, ${ALERT_COLUMNS}, ${ALERT_SILENCE_COLUMNS}
       FROM alert_event e JOIN alert a ON a.id = e.alert_id JOIN alert_rule r ON r.id = a.rule_id ${alertSilenceJoin('$4')}
       WHERE e.seq > $1 AND ($2::bigint IS NULL OR e.seq <= $2)
       ORDER BY e.seq LIMIT $3`,
      [after, upTo, limit, this.clock.now().toISOString()],
    );
    return rows.map(({ seq, transition, ...alert }) => ({ seq, transition, alert: toSilencedAlert(alert) }));
  }
}
