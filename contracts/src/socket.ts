/**
 * The socket.io contract between the backend and the wall/console. Import these types on both ends:
 * `io(url, { auth: { token } })` as `Socket<ServerToClientEvents, ClientToServerEvents>`.
 */
import type { Alert } from './alerts';
import type { DirectiveLiveEvent } from './directives';

export const SOCKET_PATH = '/socket.io';

/** A live channel: one metric for one unit, a list of units, or every current unit of a kind. */
export interface ChannelSpec {
  metric: string;
  units: string[] | 'provinces' | 'ministries' | 'all';
}

/** Canonical channel name: "series:<metric>:<units>" with units sorted and comma-joined, or the kind. */
export function channelName(spec: ChannelSpec): string {
  const units = Array.isArray(spec.units) ? [...new Set(spec.units)].sort().join(',') : spec.units;
  return `series:${spec.metric}:${units}`;
}

/** One value of a delta read as a row: index i of its columns. */
export interface LivePoint {
  unit: string;
  /** the time the value is for, epoch ms */
  ts: number;
  value: number;
}

/**
 * Accepted values for one subscribed channel within one tick, as columns (like a Grafana Live streaming data frame):
 * value i is `values[i]` for unit `units[i]` at `ts[i]`; the three arrays have the same length. Values come in the
 * order they were stored, which is not time order: a late value can be older than the one before it, and a
 * revision (a unit and ts sent before, or earlier in the same delta) comes again with its new value, which
 * replaces the old one. Times are epoch milliseconds, never text.
 */
export interface SeriesDelta {
  channel: string;
  metric: string;
  units: string[];
  /** the time each value is for, epoch ms */
  ts: number[];
  values: number[];
}

/** The values of a delta as rows (tests, logs; hot paths read the columns). */
export function livePoints(delta: SeriesDelta): LivePoint[] {
  return delta.values.map((value, i) => ({ unit: delta.units[i] as string, ts: delta.ts[i] as number, value }));
}

export interface AlertEvent {
  alert: Alert;
  /** the transition that produced this event */
  transition: 'pending' | 'firing' | 'acknowledged' | 'resolved';
}

/**
 * Everything a client receives in one tick (coalesced: at most one message per client per tick, one delta per
 * channel), with ONE cursor that covers all of it. The cursor is opaque and increases; send the last one back
 * on reconnect (SubscribeRequest.since) to get exactly what was missed: no gaps, no duplicates.
 */
export interface LiveTick {
  deltas: SeriesDelta[];
  alerts: AlertEvent[];
  /** directive changes (only when subscribed with `directives: true`; operators only their unit's) */
  directives?: DirectiveLiveEvent[];
  cursor: string;
}

export interface SubscribeRequest {
  channels: ChannelSpec[];
  /** also subscribe to alert events */
  alerts?: boolean;
  /** also subscribe to directive changes (refetch GET /api/v1/directives… on each); replayed by `since` like alerts */
  directives?: boolean;
  /** resume: the last cursor received before a disconnect; missed deltas and alert events are replayed first */
  since?: string;
}

export type SubscribeAck = { ok: true; channels: string[]; cursor: string } | { ok: false; error: string; message: string };

/**
 * Why the server ended a live connection whose credential no longer holds (checked for the life of the connection,
 * not only at the handshake): a revoked viewer token, a session that was logged out or signed out everywhere, a
 * session past its expiry, a disabled user, a changed role or unit. 'unauthorized': a handshake with a token that
 * is unknown (or an agent key). The client must not reconnect with the same credential: it says why and waits for
 * a new one.
 */
export const STREAM_DENIED_REASONS = [
  'viewer_token_revoked',
  'session_ended',
  'session_expired',
  'user_disabled',
  'role_changed',
  'unauthorized',
] as const;
export type StreamDeniedReason = (typeof STREAM_DENIED_REASONS)[number];

/**
 * Sent just before the server disconnects the socket; a refused handshake carries the same object as the
 * connect_error's `data`.
 */
export interface StreamDenied {
  reason: StreamDeniedReason;
  /** for logs and developers (English); the wall words the reason itself */
  message: string;
}

export interface ServerToClientEvents {
  'live:tick': (tick: LiveTick) => void;
  /** the server dropped this client's backlog (too slow); it should resubscribe with its last cursor */
  'stream:reset': (info: { reason: string }) => void;
  /** the credential of this connection no longer holds: the server disconnects right after; do not reconnect with it */
  'stream:denied': (info: StreamDenied) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (channels: string[], ack?: (result: { ok: true }) => void) => void;
}
