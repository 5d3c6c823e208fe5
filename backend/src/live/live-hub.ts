import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CatalogService } from '../catalog/catalog.service';
import type { UnitKind } from '@dxoc/contracts';
import { EventBus } from '../events/event-bus';
import {
  channelName,
  type AlertEvent,
  type ChannelSpec,
  type LiveTick,
  type SeriesDelta,
  type SubscribeAck,
  type SubscribeRequest,
} from '@dxoc/contracts';
import { LiveRepository, type StreamAlertEvent, type StreamDirectiveEvent, type StreamPoints } from './live.repository';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { METRICS, type Metrics } from '../observability/metrics';
import { ReplayBudget } from './replay-budget';

/** What the hub needs from a connected socket (the gateway adapts socket.io to this). */
export interface LiveClient {
  readonly id: string;
  emitTick(tick: LiveTick): void;
  emitReset(reason: string): void;
  /** packets queued in the transport and not yet written: the measure of a slow client */
  bufferedPackets(): number;
  /** true when the hub's broadcaster can reach this client by id (real sockets; not test doubles) */
  readonly broadcastable?: boolean;
  /** an operator's unit: it gets the events of directives addressed to that unit only, and of its own part */
  readonly unitScope?: string | null;
}

/** Stream positions: values, alert events, directive events. */
type Position = { obs: number; alert: number; dir: number };

/** Sends one tick to many clients, encoding it once (socket.io broadcast to their ids). */
export type Broadcaster = (clientIds: string[], tick: LiveTick) => void;

interface Subscription {
  name: string;
  metric: string;
  units: Set<string> | UnitKind | 'all';
}

interface ClientState {
  client: LiveClient;
  subscriptions: Map<string, Subscription>;
  alerts: boolean;
  directives: boolean;
  /** everything up to these positions has been delivered (or did not match) */
  obs: number;
  alert: number;
  dir: number;
  /** replaying from the database: live ticks skip this client until it has caught up */
  catchingUp: boolean;
  /**
   * What makes two clients' ticks identical at the same position: channels, alerts, directives and (with alerts or
   * directives) the operator's unit. Kept with the subscriptions (recomputed when they change), not rebuilt per client per tick.
   */
  groupKey: string;
}

/**
 * Sockets written per turn of the event loop. Writing one tick to 5,000 sockets held the loop ~100 ms on 2 cores
 * (a write system call per socket), and every ingest request and database answer arriving meanwhile waited it out
 * (a batch's POST → 202 was then half of its ingest → wall latency); between slices they go first. A slice is one
 * socket.io broadcast, encoded once.
 */
export const SOCKETS_PER_TURN = 500;

/** Rows read per poll; a larger backlog is read over the next ticks. */
const POLL_LIMIT = 20_000;
/** A client whose transport holds more packets than this is slow: stop writing to it, catch it up later from the database. */
export const SLOW_CLIENT_PACKETS = 50;
/**
 * A client that is further behind than this many stream positions is told to reload (stream:reset) instead of being
 * replayed. Measured before anything is read: the distance between its cursor and the hub's position. A replay reads
 * every position in between (the stream index is by position, the metric filter comes after), so the distance, not
 * the number of matching values, is the work; positions left by revisions and rollbacks count too (it is an upper
 * bound of the values missed).
 */
export const MAX_REPLAY_POINTS = 200_000;
/** What a client told to reload reads in stream:reset. */
export const TOO_FAR_BEHIND = 'too_far_behind: reload the data over the REST API and subscribe again without since';
/**
 * Stream positions read per replay chunk. A chunk reads the positions (cursor, cursor + REPLAY_CHUNK], not "the
 * next REPLAY_CHUNK values up to the hub's position": the database reads every position of the range it is given
 * and sorts them before the limit applies (one index per hypertable chunk, appended), so a chunk asked for 2,000
 * values 15,000 positions short of the end read all 15,000 (50 ms on the embedded database, holding it for everyone).
 * Positions are unique, so a chunk never holds more than this many values either.
 */
export const REPLAY_CHUNK = 2_000;

export function formatCursor(obs: number, alert: number, dir = 0): string {
  return `${obs}.${alert}.${dir}`;
}

/** "obs.alert.dir"; a cursor of before directives ("obs.alert") resumes directive events from now (dir null). */
export function parseCursor(cursor: string): { obs: number; alert: number; dir: number | null } | null {
  const match = /^(\d{1,15})\.(\d{1,15})(?:\.(\d{1,15}))?$/.exec(cursor);
  return match ? { obs: Number(match[1]), alert: Number(match[2]), dir: match[3] === undefined ? null : Number(match[3]) } : null;
}

/**
 * Delivers accepted values and alert transitions to socket clients.
 *
 * The database is the bus: every stored value and alert transition has a commit-ordered stream position.
 * Each instance tails the positions after the last one it read (one query per tick for all its clients),
 * so a value ingested on instance A reaches clients on B, and a reconnecting client is replayed from its
 * cursor by the same query: no gaps, no duplicates. Per tick, a client gets at most one message holding one
 * delta per channel.
 *
 * Backpressure: nothing is queued per client in memory. A client whose transport is backed up
 * (SLOW_CLIENT_PACKETS) is skipped while its cursor stays put; once it drains, it is caught up from the
 * database in chunks. One that falls more than MAX_REPLAY_POINTS behind gets 'stream:reset' and must reload.
 */
@Injectable()
export class LiveHub implements OnModuleInit, OnApplicationShutdown {
  private readonly clients = new Map<string, ClientState>();
  private position: Position | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private again = false;
  private lastTickAt = 0;
  private delayed: NodeJS.Timeout | null = null;
  private broadcaster: Broadcaster | null = null;
  /** replay chunks in flight across all clients: bounded, so catching-up clients cannot crowd out everyone else */
  readonly replayBudget = new ReplayBudget();

  constructor(
    @Inject(LiveRepository) private readonly repository: LiveRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    // Values accepted and alert transitions made by this instance go out at once; other instances' on the next tick.
    this.bus.on('observations.stored', () => this.nudge());
    this.bus.on('alert.transitioned', () => this.nudge());
    this.bus.on('directive.changed', () => this.nudge());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.nudge(), this.config.liveTickMs);
    this.timer.unref();
  }

  /** Lets the socket server send one encoded tick to a group of clients. */
  useBroadcaster(broadcaster: Broadcaster): void {
    this.broadcaster = broadcaster;
  }

  /**
   * Run a tick soon (after a local ingest or alert transition): at once if the last tick is at least one tick
   * interval old, else when it will be — so a burst of batches is coalesced into one message per client per tick.
   */
  nudge(): void {
    const wait = this.lastTickAt + this.config.liveTickMs - Date.now();
    if (wait > 0) {
      this.delayed ??= setTimeout(() => {
        this.delayed = null;
        this.nudge();
      }, wait);
      return;
    }
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.lastTickAt = Date.now();
    this.ticking = this.tick()
      .catch((error: unknown) => {
        this.logger.warn('live.tick_failed', { error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  connectedClients(): number {
    return this.clients.size;
  }

  attach(client: LiveClient): void {
    this.clients.set(client.id, {
      client,
      subscriptions: new Map(),
      alerts: false,
      directives: false,
      obs: 0,
      alert: 0,
      dir: 0,
      catchingUp: true,
      groupKey: '',
    });
    this.metrics.socketClients.set(this.clients.size);
  }

  detach(clientId: string): void {
    this.clients.delete(clientId);
    this.metrics.socketClients.set(this.clients.size);
  }

  async subscribe(clientId: string, request: SubscribeRequest): Promise<SubscribeAck> {
    const state = this.clients.get(clientId);
    if (!state) return { ok: false, error: 'not_connected', message: 'the connection is closed' };
    const catalog = await this.catalog.snapshot();
    const added: Subscription[] = [];
    for (const spec of request.channels ?? []) {
      if (!spec || typeof spec.metric !== 'string' || !catalog.metrics.has(spec.metric)) {
        return { ok: false, error: 'unknown_metric', message: `unknown metric ${JSON.stringify(spec?.metric)}` };
      }
      const units = spec.units;
      let selection: Subscription['units'];
      if (units === 'provinces') selection = 'province';
      else if (units === 'ministries') selection = 'ministry';
      else if (units === 'all') selection = 'all';
      else if (Array.isArray(units) && units.length > 0 && units.every((u) => typeof u === 'string' && catalog.units.has(u)))
        selection = new Set(units);
      else
        return {
          ok: false,
          error: 'unknown_unit',
          message: `units must be unit codes, "provinces", "ministries" or "all"; got ${JSON.stringify(units)}`,
        };
      added.push({ name: channelName(spec as ChannelSpec), metric: spec.metric, units: selection });
    }
    let resumeFrom: { obs: number; alert: number; dir: number | null } | null = null;
    if (request.since !== undefined) {
      resumeFrom = typeof request.since === 'string' ? parseCursor(request.since) : null;
      if (!resumeFrom)
        return {
          ok: false,
          error: 'invalid_cursor',
          message: `since must be a cursor received from this server, got ${JSON.stringify(request.since)}`,
        };
    }
    for (const subscription of added) state.subscriptions.set(subscription.name, subscription);
    if (request.alerts) state.alerts = true;
    if (request.directives) state.directives = true;
    state.groupKey = groupKey(state);

    const position = this.position ?? (this.position = await this.repository.positions());
    const resume = resumeFrom ? { obs: resumeFrom.obs, alert: resumeFrom.alert, dir: resumeFrom.dir ?? position.dir } : null;
    if (resume && tooFarBehind(resume, position)) {
      // answered before any replay: the ack says what was subscribed, the reset that the history must be reloaded
      this.reset(state, position);
      return { ok: true, channels: [], cursor: formatCursor(position.obs, position.alert, position.dir) };
    }
    if (resume) {
      state.obs = Math.min(resume.obs, position.obs);
      state.alert = Math.min(resume.alert, position.alert);
      state.dir = Math.min(resume.dir, position.dir);
      state.catchingUp = true;
      void this.catchUp(state);
    } else if (state.catchingUp && state.obs === 0 && state.alert === 0 && state.dir === 0) {
      state.obs = position.obs;
      state.alert = position.alert;
      state.dir = position.dir;
      state.catchingUp = false;
    }
    return { ok: true, channels: [...state.subscriptions.keys()], cursor: formatCursor(state.obs, state.alert, state.dir) };
  }

  unsubscribe(clientId: string, channels: string[]): void {
    const state = this.clients.get(clientId);
    if (!state) return;
    for (const name of channels) state.subscriptions.delete(name);
    state.groupKey = groupKey(state);
  }

  private async tick(): Promise<void> {
    if (this.clients.size === 0) {
      this.position = null; // nobody listens: the next subscriber starts from the database's current position
      return;
    }
    const readTimer = this.metrics.liveTickSeconds.startTimer({ phase: 'read' });
    // observations up to the committed position only: batches written side by side commit out of position order
    const committed = await this.repository.positions();
    const position = this.position ?? committed;
    const [points, alerts, directives] = await Promise.all([
      this.repository.pointsAfter(position.obs, committed.obs, null, POLL_LIMIT),
      this.repository.alertEventsAfter(position.alert, null, POLL_LIMIT),
      this.repository.directiveEventsAfter(position.dir, null, POLL_LIMIT),
    ]);
    const next = {
      // a full read ends at its last row; otherwise everything up to the committed position has been read
      obs: points.seq.length === POLL_LIMIT ? (points.seq.at(-1) as number) : Math.max(position.obs, committed.obs),
      alert: alerts.at(-1)?.seq ?? position.alert,
      dir: directives.at(-1)?.seq ?? position.dir,
    };
    this.position = next;
    readTimer();
    const catalog = await this.catalog.snapshot();
    const kindOf = (unit: string) => catalog.units.get(unit)?.kind;
    // Clients with the same subscriptions at the same position get the same tick: build and encode it once. A
    // client catching up (replay) is in no group until its replay reaches the hub's position; from the next tick
    // on it shares its group's ticks, which start exactly after that position.
    const perClient = this.config.liveFanout === 'per-client';
    // group key → its groups by position: clients are all at the hub's position (checked below) except one whose
    // replay ended at a newer one meanwhile; the key is the client's own string, whose hash V8 keeps, not one built
    // per client per tick (that was half of this loop's time with 5,000 clients)
    const groups = new Map<string, ClientState[][]>();
    let lagging = 0;
    for (const state of this.clients.values()) {
      if (state.catchingUp) {
        lagging += 1;
        continue;
      }
      if (state.client.bufferedPackets() > SLOW_CLIENT_PACKETS) continue; // slow: its cursor stays, caught up later
      if (state.obs < position.obs || state.alert < position.alert || state.dir < position.dir) {
        // it was skipped while slow and has drained: replay what it missed from the database, unless that is too much
        if (tooFarBehind(state, position)) {
          this.reset(state, position);
          continue;
        }
        state.catchingUp = true;
        void this.catchUp(state);
        continue;
      }
      const key = perClient ? state.client.id : state.groupKey;
      const atPositions = groups.get(key);
      const group = atPositions?.find((members) => samePosition(members[0] as ClientState, state));
      if (group) group.push(state);
      else if (atPositions) atPositions.push([state]);
      else groups.set(key, [[state]]);
    }
    this.metrics.liveLaggingClients.set(lagging);
    const writeTimer = this.metrics.liveTickSeconds.startTimer({ phase: 'write' });
    let written = 0;
    for (const atPositions of groups.values())
      for (const members of atPositions)
        written = await this.deliver(members, points, alerts, directives, next, kindOf, !perClient, written);
    if (written > 0) writeTimer();
  }

  /**
   * Builds the tick for clients that share subscriptions and position, advances them, and sends it. Each channel's
   * delta is columns copied from the stream's columns (units, epoch-ms times, values), in commit order. Sockets are
   * written SOCKETS_PER_TURN per turn of the event loop, counting from `written` (sockets the tick wrote before this
   * group); answers how many the tick has written now. The members' positions advance before the first write, so a
   * client the hub meets meanwhile (a replay, a new subscription) sees where it is.
   */
  private async deliver(
    members: ClientState[],
    points: StreamPoints,
    alerts: StreamAlertEvent[],
    directives: StreamDirectiveEvent[],
    upTo: Position,
    kindOf: (unit: string) => UnitKind | undefined,
    broadcast = true,
    written = 0,
  ): Promise<number> {
    const first = members[0] as ClientState;
    const deltas = new Map<string, SeriesDelta>();
    const subscriptions = [...first.subscriptions.values()];
    for (let i = firstAfter(points.seq, first.obs); i < points.seq.length; i += 1) {
      const metric = points.metric[i] as string;
      const unit = points.unit[i] as string;
      for (const subscription of subscriptions) {
        if (subscription.metric !== metric || !matches(subscription, unit, kindOf)) continue;
        let delta = deltas.get(subscription.name);
        if (!delta) deltas.set(subscription.name, (delta = { channel: subscription.name, metric, units: [], ts: [], values: [] }));
        delta.units.push(unit);
        delta.ts.push(points.ts[i] as number);
        delta.values.push(points.value[i] as number);
      }
    }
    const scope = first.client.unitScope ?? null;
    // an operator hears of its unit's alerts only, as GET /api/v1/alerts answers it
    const alertEvents: AlertEvent[] = first.alerts
      ? alerts
          .filter((event) => event.seq > first.alert && (scope === null || event.alert.unit === scope))
          .map(({ alert, transition }) => ({ alert, transition }))
      : [];
    const directiveEvents = first.directives
      ? directives
          .filter((e) => e.seq > first.dir && (scope === null || (e.units.includes(scope) && (e.unit === null || e.unit === scope))))
          .map(({ seq, directiveId, unit, kind, at }) => ({ seq, directiveId, unit, kind, at }))
      : [];
    const obs = Math.max(first.obs, upTo.obs);
    const alert = Math.max(first.alert, upTo.alert);
    const dir = Math.max(first.dir, upTo.dir);
    for (const state of members) {
      state.obs = obs;
      state.alert = alert;
      state.dir = dir;
    }
    if (deltas.size === 0 && alertEvents.length === 0 && directiveEvents.length === 0) return written;
    const tick: LiveTick = {
      deltas: [...deltas.values()],
      alerts: alertEvents,
      ...(first.directives ? { directives: directiveEvents } : {}),
      cursor: formatCursor(obs, alert, dir),
    };
    this.metrics.liveMessages.inc(members.length);
    this.metrics.liveEncodes.inc();
    // one encode for the group: the broadcaster (socket.io) serialises the tick once and writes the same packet
    // to each socket; clients it cannot reach (test doubles), a group of one and the per-client mode emit directly
    const broadcaster = broadcast && members.length > 1 ? this.broadcaster : null;
    let viaBroadcast: string[] = [];
    for (const state of members) {
      if (written > 0 && written % SOCKETS_PER_TURN === 0) {
        if (broadcaster && viaBroadcast.length > 0) broadcaster(viaBroadcast, tick);
        viaBroadcast = [];
        await nextTurn();
      }
      written += 1;
      if (broadcaster && state.client.broadcastable) viaBroadcast.push(state.client.id);
      else state.client.emitTick(tick);
    }
    if (broadcaster && viaBroadcast.length > 0) broadcaster(viaBroadcast, tick);
    return written;
  }

  /** Replays from the client's cursor up to the hub's position, in chunks, then hands it back to the live ticks. */
  private async catchUp(state: ClientState): Promise<void> {
    try {
      const catalog = await this.catalog.snapshot();
      const kindOf = (unit: string) => catalog.units.get(unit)?.kind;
      for (;;) {
        if (state.client.bufferedPackets() > SLOW_CLIENT_PACKETS) return; // still draining: the next tick retries
        const target = this.position ?? (this.position = await this.repository.positions());
        if (state.obs >= target.obs && state.alert >= target.alert && state.dir >= target.dir) break;
        // the stream moved on while this client replayed (or waited for the budget): it may now be too far behind
        if (tooFarBehind(state, target)) return this.reset(state, target);
        const metrics = [...new Set([...state.subscriptions.values()].map((s) => s.metric))];
        // this chunk's positions: its work is bounded by their number, however far behind the client is
        const end = {
          obs: Math.min(target.obs, state.obs + REPLAY_CHUNK),
          alert: Math.min(target.alert, state.alert + REPLAY_CHUNK),
          dir: Math.min(target.dir, state.dir + REPLAY_CHUNK),
        };
        // one chunk at a time per client, and at most REPLAY_CONCURRENCY chunks at a time across all clients
        const { points, alerts, directives } = await this.replayBudget.run(async () => {
          if (!this.clients.has(state.client.id)) return { points: NO_POINTS, alerts: [], directives: [] };
          return {
            points:
              metrics.length > 0 && state.obs < end.obs
                ? await this.repository.pointsAfter(state.obs, end.obs, metrics, REPLAY_CHUNK)
                : NO_POINTS,
            alerts:
              state.alerts && state.alert < end.alert ? await this.repository.alertEventsAfter(state.alert, end.alert, REPLAY_CHUNK) : [],
            directives:
              state.directives && state.dir < end.dir ? await this.repository.directiveEventsAfter(state.dir, end.dir, REPLAY_CHUNK) : [],
          };
        });
        // a full chunk ends at its last row (positions are unique, so that is the range's end; the check stays in case)
        const upTo = {
          obs: points.seq.length === REPLAY_CHUNK ? (points.seq.at(-1) as number) : end.obs,
          alert: alerts.length === REPLAY_CHUNK ? (alerts.at(-1) as StreamAlertEvent).seq : end.alert,
          dir: directives.length === REPLAY_CHUNK ? (directives.at(-1) as StreamDirectiveEvent).seq : end.dir,
        };
        if (!this.clients.has(state.client.id)) return;
        await this.deliver([state], points, alerts, directives, upTo, kindOf);
      }
    } finally {
      state.catchingUp = false;
    }
  }

  /**
   * Tells the client to reload; it gets nothing more until it subscribes again, and then from `position` on (the
   * hub's position now: what it reloads over the REST API covers everything before).
   */
  private reset(state: ClientState, position: Position): void {
    state.subscriptions.clear();
    state.alerts = false;
    state.directives = false;
    state.groupKey = groupKey(state);
    state.obs = Math.max(state.obs, position.obs);
    state.alert = Math.max(state.alert, position.alert);
    state.dir = Math.max(state.dir, position.dir);
    state.catchingUp = false;
    state.client.emitReset(TOO_FAR_BEHIND);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.delayed) clearTimeout(this.delayed);
    this.timer = null;
    this.delayed = null;
  }
}

/**
 * The part of a client's group key that does not move: its channels (sorted names), alerts, directives and, with
 * alerts or directives, the operator's unit (an operator hears of its unit's alerts and directives only, so
 * operators of different units, and operators and staff, never share a group then; values are everyone's).
 */
function groupKey(state: ClientState): string {
  const scope = state.alerts || state.directives ? (state.client.unitScope ?? '*') : '-';
  return `${[...state.subscriptions.keys()].sort().join('|')}#${state.alerts}#${scope}`;
}

function samePosition(a: Position, b: Position): boolean {
  return a.obs === b.obs && a.alert === b.alert && a.dir === b.dir;
}

/** Whether replaying from `from` to `to` would read more than MAX_REPLAY_POINTS stream positions (of values or of alert events). */
function tooFarBehind(from: Position, to: Position): boolean {
  return to.obs - from.obs > MAX_REPLAY_POINTS || to.alert - from.alert > MAX_REPLAY_POINTS || to.dir - from.dir > MAX_REPLAY_POINTS;
}

/** Lets the event loop run what arrived meanwhile (I/O callbacks go before setImmediate's). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const NO_POINTS: StreamPoints = { seq: [], metric: [], unit: [], ts: [], value: [] };

/** Index of the first position after `after` in increasing positions (binary search). */
function firstAfter(seq: number[], after: number): number {
  let lo = 0;
  let hi = seq.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((seq[mid] as number) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function matches(subscription: Subscription, unit: string, kindOf: (unit: string) => UnitKind | undefined): boolean {
  if (subscription.units === 'all') return true;
  if (typeof subscription.units === 'string') return kindOf(unit) === subscription.units;
  return subscription.units.has(unit);
}
