/**
 * The live stream (socket.io, contract in `@dxoc/contracts` socket.ts): panels register the channels
 * they show; the stream subscribes them, routes each tick's deltas (columns: units, epoch-ms ts, values; merged
 * by the panels with series-buffer.ts) to the panels and alert events to the alert store, keeps the last cursor,
 * and on every (re)connect subscribes again with `since: <last cursor>` so that exactly what was missed is replayed
 * ('stream:reset': the server will not replay that much; subscribe again without since).
 */
import { io, type Socket } from 'socket.io-client';
import {
  channelName,
  SOCKET_PATH,
  STREAM_DENIED_REASONS,
  type AlertEvent,
  type ChannelSpec,
  type ClientToServerEvents,
  type DirectiveLiveEvent,
  type LiveTick,
  type SeriesDelta,
  type ServerToClientEvents,
  type StreamDenied,
  type StreamDeniedReason,
  type SubscribeAck,
} from '@dxoc/contracts';

/** denied: the server ended the stream because its credential no longer holds (see deniedReason); it is not retried. */
export type LiveStatus = 'connecting' | 'live' | 'offline' | 'denied';

type DeltaHandler = (delta: SeriesDelta) => void;
type AlertHandler = (event: AlertEvent) => void;
type DirectiveHandler = (event: DirectiveLiveEvent) => void;

export interface LiveStreamOptions {
  token: () => string | null;
  /** for tests: the server origin; default the page's own */
  url?: string;
  /** keep the socket out of the picture (unit tests) */
  connect?: boolean;
  /** unit tests hand in a fake socket */
  socketFactory?: () => LiveSocket;
}

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class LiveStream {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private readonly channels = new Map<string, { spec: ChannelSpec; handlers: Set<DeltaHandler> }>();
  private readonly alertHandlers = new Set<AlertHandler>();
  private readonly directiveHandlers = new Set<DirectiveHandler>();
  private readonly statusHandlers = new Set<(status: LiveStatus) => void>();
  /** channels the server acknowledged on this connection */
  private subscribed = new Set<string>();
  private syncTimer: ReturnType<typeof setTimeout> | null = null;
  private cursor: string | undefined;
  private statusValue: LiveStatus = 'connecting';
  private ticks = 0;
  /** the last moment the server was heard from (connect, ack, tick, socket.io ping), and when the socket was lost */
  private contactAt: number | null = null;
  private lostAt: number | null = null;
  private connectedOnce = false;
  private deniedBecause: StreamDeniedReason | null = null;

  constructor(private readonly options: LiveStreamOptions) {}

  get status(): LiveStatus {
    return this.statusValue;
  }
  get lastCursor(): string | undefined {
    return this.cursor;
  }
  get tickCount(): number {
    return this.ticks;
  }
  get channelCount(): number {
    return this.channels.size;
  }
  /** epoch ms of the last message from the server on this stream; null before the first */
  get lastContact(): number | null {
    return this.contactAt;
  }
  /** epoch ms when the socket was lost; null while connected or before the first connection */
  get socketLostAt(): number | null {
    return this.lostAt;
  }
  /** why the server refused or ended the stream (a revoked viewer token, an ended session…); null while it is not denied */
  get deniedReason(): StreamDeniedReason | null {
    return this.deniedBecause;
  }
  /** whether the socket was ever connected: before that, 'connecting' is a slow start, after it a lost link */
  get everConnected(): boolean {
    return this.connectedOnce;
  }

  start(): void {
    if (this.socket || this.options.connect === false) return;
    const socket: LiveSocket =
      this.options.socketFactory?.() ??
      io(this.options.url ?? '', {
        path: SOCKET_PATH,
        // the token is read on every (re)connect attempt; without one the session cookie is used
        auth: (cb) => cb(this.options.token() ? { token: this.options.token() } : {}),
        transports: ['websocket', 'polling'],
        reconnectionDelay: 1000,
        reconnectionDelayMax: 15_000,
      });
    this.socket = socket;
    socket.on('connect', () => {
      this.touch();
      this.connectedOnce = true;
      this.lostAt = null;
      this.resubscribe();
    });
    socket.on('disconnect', () => {
      this.subscribed = new Set();
      // heard from until now (a stopped server closes the connection at once; a silent one after the ping timeout)
      if (this.lostAt === null) {
        this.lostAt = Date.now();
        if (this.connectedOnce) this.touch();
      }
      // after 'stream:denied' the server disconnected on purpose and socket.io does not reconnect: say why
      this.setStatus(this.deniedBecause ? 'denied' : 'offline');
    });
    // the server's heartbeat (every 25 s by default) is contact too, on a quiet stream
    socket.io?.on?.('ping', () => this.touch());
    // a handshake refused for a known reason (the token was revoked, the session ended) carries it as data
    socket.on('connect_error', (error) => {
      const reason = (error as Error & { data?: Partial<StreamDenied> }).data?.reason;
      if (reason && STREAM_DENIED_REASONS.includes(reason)) this.deniedBecause = reason;
      this.setStatus(this.deniedBecause ? 'denied' : 'offline');
    });
    socket.on('stream:denied', (info) => {
      this.deniedBecause = STREAM_DENIED_REASONS.includes(info?.reason) ? info.reason : 'unauthorized';
    });
    socket.on('live:tick', (tick) => this.receive(tick));
    // the server will not replay from the last cursor (too far behind): resuming from it again would be refused at
    // once, over and over; subscribe from now on instead
    socket.on('stream:reset', () => {
      this.cursor = undefined;
      this.resubscribe();
    });
  }

  stop(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  onStatus(handler: (status: LiveStatus) => void): () => void {
    this.statusHandlers.add(handler);
    handler(this.statusValue);
    return () => this.statusHandlers.delete(handler);
  }

  onAlert(handler: AlertHandler): () => void {
    this.alertHandlers.add(handler);
    return () => this.alertHandlers.delete(handler);
  }

  /** Directive changes (issued, answered, closed…): the handler refetches what it shows. */
  onDirective(handler: DirectiveHandler): () => void {
    this.directiveHandlers.add(handler);
    return () => this.directiveHandlers.delete(handler);
  }

  /** A panel shows this channel; returns the function that stops it. */
  register(spec: ChannelSpec, handler: DeltaHandler): () => void {
    const name = channelName(spec);
    let entry = this.channels.get(name);
    if (!entry) {
      entry = { spec, handlers: new Set() };
      this.channels.set(name, entry);
    }
    entry.handlers.add(handler);
    this.scheduleSync();
    return () => {
      const current = this.channels.get(name);
      if (!current) return;
      current.handlers.delete(handler);
      if (current.handlers.size === 0) this.channels.delete(name);
      this.scheduleSync();
    };
  }

  /** Route one tick: exported for tests and the soak script. */
  receive(tick: LiveTick): void {
    this.ticks++;
    this.touch();
    if (tick.cursor) this.cursor = tick.cursor;
    for (const delta of tick.deltas ?? []) {
      const entry = this.channels.get(delta.channel);
      if (entry) for (const handler of entry.handlers) handler(delta);
    }
    for (const event of tick.alerts ?? []) for (const handler of this.alertHandlers) handler(event);
    for (const event of tick.directives ?? []) for (const handler of this.directiveHandlers) handler(event);
  }

  private touch(): void {
    this.contactAt = Date.now();
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    for (const handler of this.statusHandlers) handler(status);
  }

  /** Panels mount and unmount together on a page change: batch their channel changes. */
  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      this.sync();
    }, 50);
  }

  private sync(): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    const wanted = new Set(this.channels.keys());
    const removed = [...this.subscribed].filter((name) => !wanted.has(name));
    const added = [...wanted].filter((name) => !this.subscribed.has(name));
    if (removed.length) {
      for (const name of removed) this.subscribed.delete(name);
      socket.emit('unsubscribe', removed);
    }
    if (added.length) {
      const specs = added.map((name) => this.channels.get(name)!.spec);
      socket.emit('subscribe', { channels: specs, alerts: true, directives: true }, (ack) => this.acknowledged(ack, added));
    }
  }

  /** On connect, reconnect and stream reset: everything, from the last cursor. */
  private resubscribe(): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    this.subscribed = new Set();
    const names = [...this.channels.keys()];
    const request = {
      channels: names.map((name) => this.channels.get(name)!.spec),
      alerts: true,
      directives: true,
      ...(this.cursor ? { since: this.cursor } : {}),
    };
    socket.emit('subscribe', request, (ack) => this.acknowledged(ack, names));
  }

  private acknowledged(ack: SubscribeAck, names: string[]): void {
    if (!ack?.ok) {
      this.setStatus('offline');
      return;
    }
    for (const name of names) this.subscribed.add(name);
    this.touch();
    if (!this.cursor) this.cursor = ack.cursor;
    this.setStatus('live');
    // channels registered while the request was in flight
    this.scheduleSync();
  }
}
