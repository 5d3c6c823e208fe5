/**
 * A group of socket.io wall clients for the live benchmark (backend/bench/live.bench.ts forks one or more of these),
 * so that parsing the ticks of hundreds of clients does not delay the process that sends the batches.
 *
 * Each client connects over the websocket transport with the viewer token in auth.token, subscribes, and records
 * for every live:tick its receive time on CLOCK_MONOTONIC (process.hrtime, the same clock in every process on the
 * machine, relative to the parent's epoch). The benchmark's batches carry their send time as the value of every
 * point, so the first point of each batch a client sees gives receive time − send time. Alert events are forwarded
 * to the parent as they arrive (it waits for them); everything else is summarised when the parent asks, latencies as
 * histograms (millions of samples do not fit in a message).
 *
 * The clients of a process share the decoding of identical packets (the server sends one payload to every client of
 * a channel set): 2,500 JSON.parse of the same tick were a third of a client process's CPU, and a client process
 * that falls behind measures its own queue, not the server. A browser parses its own tick on its own machine; what
 * this process does per client is what the server's latency shows up in: the socket, the frame, the event.
 */
import { io, type Socket } from 'socket.io-client';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type LiveTick,
  type ServerToClientEvents,
  type SubscribeAck,
  type SubscribeRequest,
} from '@dxoc/contracts';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { LatencyHistogram, type HistogramEntries } from './histogram';

export interface ConnectCommand {
  type: 'connect';
  url: string;
  token: string;
  count: number;
  /** index of this group's first client among all clients */
  firstIndex: number;
  request: SubscribeRequest;
  /** process.hrtime.bigint() of the parent at its start, as a decimal string: times are ms since then */
  epochNs: string;
  /** handshakes in flight at once */
  concurrency: number;
}

export interface ReportCommand {
  type: 'report';
  startMs: number;
  endMs: number;
  /** [send time, POST → 202 ms] of the batches accepted so far: a client's latency minus its batch's gives 202 → client */
  http202: [sendMs: number, ms: number][];
}

export type ToClients = ConnectCommand | ReportCommand | { type: 'close' };

export interface AlertReceipt {
  client: number;
  ruleId: number;
  alertId: number;
  transition: string;
  atMs: number;
}

export interface ClientsReport {
  /** receive − send (ms) of the first point of every batch sent in the window, at every client that saw it */
  latency: HistogramEntries;
  /** the same minus the batch's POST → 202 time, for the batches the report command named */
  after202: HistogramEntries;
  /** per client: live:tick messages received in the window */
  messages: number[];
  /** per client: points received in those messages */
  pointsInMessages: number[];
  /** per client: distinct batches sent in the window that it received (by the end of the grace period) */
  batchesSeen: number[];
  /** per client: points of batches sent in the window that it received */
  pointsSeen: number[];
  /** characters of the engine.io message packets (the socket.io packet: `2["live:tick",{…}]`) of the window's live:tick, all clients */
  bytes: number;
  resets: number;
  resetReasons: string[];
  disconnects: number;
  disconnectReasons: string[];
}

export type FromClients =
  | { type: 'connected'; connected: number; failures: string[] }
  | { type: 'alerts'; receipts: AlertReceipt[] }
  | { type: 'report'; report: ClientsReport }
  | { type: 'closed' };

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface ClientRecord {
  socket: LiveSocket;
  /** this client's place in its group: its slot in every BatchReceipt */
  slot: number;
  /** receive time and number of points of every live:tick */
  messageAt: number[];
  messagePoints: number[];
  messageBytes: number[];
  /** length of the last engine.io packet received: the one the live:tick being handled came in */
  lastPacketLength: number;
}

const send = (message: FromClients) => process.send?.(message);

/** Packets decoded lately, by their text: an event the process's other clients receive too is parsed once. */
const decodedPackets = new Map<string, Packet>();
const DECODED_PACKETS_KEPT = 256;

/** Decodes a whole text packet (it keeps no state between such packets, so one serves every client). */
const textDecoder = new Decoder();
let lastDecoded: Packet | null = null;
textDecoder.on('decoded', (packet) => {
  lastDecoded = packet;
});
function decodeText(encoded: string): Packet {
  lastDecoded = null;
  textDecoder.add(encoded);
  if (lastDecoded === null) throw new Error('a text packet did not decode to a packet');
  return lastDecoded;
}

/**
 * socket.io's decoder, sharing the decoded packet of an event without an ack id ("2[…": the clients only read it, and
 * socket.io adds nothing to an event that has no id). Anything else (acks, namespaces, binary) is decoded as usual.
 */
class SharedDecoder extends Decoder {
  override add(encoded: unknown): void {
    if (typeof encoded !== 'string' || !encoded.startsWith(`${PacketType.EVENT}[`)) {
      super.add(encoded);
      return;
    }
    let packet = decodedPackets.get(encoded);
    if (packet === undefined) {
      packet = decodeText(encoded);
      if (decodedPackets.size >= DECODED_PACKETS_KEPT) decodedPackets.clear();
      decodedPackets.set(encoded, packet);
    }
    this.emitReserved('decoded', packet);
  }
}

const sharingParser = { Encoder, Decoder: SharedDecoder };

let epoch = 0n;
const nowMs = () => Number(process.hrtime.bigint() - epoch) / 1e6;

/**
 * What the group's clients received of one batch, one slot per client: typed arrays, not a map per client, so that a
 * window of 1,000 batches × 2,500 clients is a few MB the collector hardly has to look at.
 */
interface BatchReceipt {
  /** points of the batch received */
  points: Uint32Array;
  /** receive − send (ms) of its first point (meaningful where points > 0) */
  latencyMs: Float64Array;
}

/** send time (the value of every point of a batch) → what the clients received of it */
const batches = new Map<number, BatchReceipt>();
let groupSize = 0;

const clients: ClientRecord[] = [];
let resets = 0;
const resetReasons = new Set<string>();
let disconnects = 0;
const disconnectReasons = new Set<string>();
let closing = false;
/** deltas are recorded until the parent takes the report; after it only alert events matter */
let recording = true;

let pendingAlerts: AlertReceipt[] = [];
function forwardAlert(receipt: AlertReceipt): void {
  if (pendingAlerts.length === 0) {
    setImmediate(() => {
      const receipts = pendingAlerts;
      pendingAlerts = [];
      send({ type: 'alerts', receipts });
    });
  }
  pendingAlerts.push(receipt);
}

function receiptOf(sentMs: number): BatchReceipt {
  let receipt = batches.get(sentMs);
  if (receipt === undefined) {
    receipt = { points: new Uint32Array(groupSize), latencyMs: new Float64Array(groupSize) };
    batches.set(sentMs, receipt);
  }
  return receipt;
}

/** A tick's points by batch (send time), counted once for all the clients that share the decoded tick. */
interface TickSummary {
  points: number;
  /** [send time, the batch's receipt, points of that batch in the tick] */
  batches: [number, BatchReceipt, number][];
}
const summaries = new WeakMap<LiveTick, TickSummary>();

function summarise(tick: LiveTick): TickSummary {
  let summary = summaries.get(tick);
  if (summary !== undefined) return summary;
  const counts = new Map<number, number>();
  let points = 0;
  for (const delta of tick.deltas) {
    points += delta.values.length;
    for (const value of delta.values) counts.set(value as number, (counts.get(value as number) ?? 0) + 1);
  }
  summary = { points, batches: [...counts].map(([sentMs, count]) => [sentMs, receiptOf(sentMs), count]) };
  summaries.set(tick, summary);
  return summary;
}

function onTick(index: number, record: ClientRecord, tick: LiveTick): void {
  const at = nowMs();
  const slot = record.slot;
  if (recording) {
    const summary = summarise(tick);
    for (const [sentMs, receipt, count] of summary.batches) {
      if (receipt.points[slot] === 0) receipt.latencyMs[slot] = at - sentMs;
      receipt.points[slot] = (receipt.points[slot] as number) + count;
    }
    record.messageAt.push(at);
    record.messagePoints.push(summary.points);
    record.messageBytes.push(record.lastPacketLength);
  }
  for (const event of tick.alerts)
    forwardAlert({ client: index, ruleId: event.alert.ruleId, alertId: event.alert.id, transition: event.transition, atMs: at });
}

function connectOne(command: ConnectCommand, index: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket: LiveSocket = io(command.url, {
      path: SOCKET_PATH,
      transports: ['websocket'],
      auth: { token: command.token },
      forceNew: true,
      reconnection: false,
      parser: sharingParser,
      timeout: 60_000,
    });
    const record: ClientRecord = {
      socket,
      slot: index - command.firstIndex,
      messageAt: [],
      messagePoints: [],
      messageBytes: [],
      lastPacketLength: 0,
    };
    // the packet as it came off the websocket, before socket.io decodes it into the tick (ASCII JSON: chars = bytes)
    socket.io.on('open', () =>
      socket.io.engine.on('packet', (packet: { data?: unknown }) => {
        record.lastPacketLength = typeof packet.data === 'string' ? packet.data.length : 0;
      }),
    );
    let settled = false;
    const settle = (failure: string | null) => {
      if (settled) return;
      settled = true;
      if (failure === null) clients.push(record);
      else socket.close();
      resolve(failure);
    };
    socket.on('live:tick', (tick) => onTick(index, record, tick));
    socket.on('stream:reset', (info) => {
      resets += 1;
      resetReasons.add(info.reason);
    });
    socket.on('disconnect', (reason) => {
      if (closing) return;
      disconnects += 1;
      disconnectReasons.add(reason);
      settle(`disconnected before subscribing: ${reason}`);
    });
    socket.on('connect_error', (error) => settle(`connect_error: ${error.message}`));
    socket.on('connect', () => {
      socket
        .timeout(60_000)
        .emitWithAck('subscribe', command.request)
        .then((ack: SubscribeAck) => settle(ack.ok ? null : `subscribe refused: ${ack.error}: ${ack.message}`))
        .catch((error: unknown) => settle(`subscribe: ${error instanceof Error ? error.message : String(error)}`));
    });
  });
}

async function connectAll(command: ConnectCommand): Promise<void> {
  epoch = BigInt(command.epochNs);
  groupSize = command.count;
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < command.count) {
      const index = command.firstIndex + next;
      next += 1;
      const failure = await connectOne(command, index);
      if (failure) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, command.concurrency) }, () => worker()));
  send({ type: 'connected', connected: clients.length, failures: [...new Set(failures)].slice(0, 5) });
}

function report(command: ReportCommand): ClientsReport {
  const inWindow = (ms: number) => ms >= command.startMs && ms <= command.endMs;
  const http202 = new Map(command.http202);
  const latency = new LatencyHistogram();
  const after202 = new LatencyHistogram();
  const batchesSeen = new Uint32Array(groupSize);
  const pointsSeen = new Float64Array(groupSize);
  for (const [sentMs, receipt] of batches) {
    if (!inWindow(sentMs)) continue;
    const accepted = http202.get(sentMs);
    for (let slot = 0; slot < groupSize; slot += 1) {
      const points = receipt.points[slot] as number;
      if (points === 0) continue;
      const ms = receipt.latencyMs[slot] as number;
      latency.add(ms);
      if (accepted !== undefined) after202.add(ms - accepted);
      batchesSeen[slot] = (batchesSeen[slot] as number) + 1;
      pointsSeen[slot] = (pointsSeen[slot] as number) + points;
    }
  }
  // what was measured is no longer needed: the alert phase that follows only forwards alert events
  batches.clear();
  const result: ClientsReport = {
    latency: latency.entries(),
    after202: after202.entries(),
    messages: [],
    pointsInMessages: [],
    batchesSeen: [],
    pointsSeen: [],
    bytes: 0,
    resets,
    resetReasons: [...resetReasons],
    disconnects,
    disconnectReasons: [...disconnectReasons],
  };
  for (const record of clients) {
    let messages = 0;
    let points = 0;
    for (let i = 0; i < record.messageAt.length; i += 1) {
      if (!inWindow(record.messageAt[i] as number)) continue;
      messages += 1;
      points += record.messagePoints[i] as number;
      result.bytes += record.messageBytes[i] as number;
    }
    result.messages.push(messages);
    result.pointsInMessages.push(points);
    result.batchesSeen.push(batchesSeen[record.slot] as number);
    result.pointsSeen.push(pointsSeen[record.slot] as number);
    record.messageAt = [];
    record.messagePoints = [];
    record.messageBytes = [];
  }
  return result;
}

process.on('message', (message: ToClients) => {
  if (message.type === 'connect') {
    void connectAll(message);
  } else if (message.type === 'report') {
    recording = false;
    send({ type: 'report', report: report(message) });
  } else if (message.type === 'close') {
    closing = true;
    for (const record of clients) record.socket.close();
    send({ type: 'closed' });
    process.disconnect();
  }
});
// the parent died or closed the channel: nothing left to do
process.on('disconnect', () => process.exit(0));
