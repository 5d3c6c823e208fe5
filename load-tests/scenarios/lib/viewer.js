// A wall screen over socket.io, on k6's WebSocket: Engine.IO v4 / socket.io v5 framing done by hand.
//
//   server → "0{sid, pingInterval, pingTimeout, maxPayload}"   Engine.IO open
//   client → "40{"token":"dxv_…"}"                              socket.io CONNECT to "/" with the auth payload
//   server → "40{"sid":"…"}" | "44{"message":"…"}"              connected | refused
//   client → "420["subscribe",{channels,alerts}]"               event with ack id 0
//   server → "430[{ok,channels,cursor}]"                        the ack
//   server → "42["live:tick",{deltas,alerts,cursor}]"           live values
//   server → "2" / client → "3"                                 Engine.IO ping / pong
//   client → "41", then close                                   disconnect
//
// Each client records, for every probe batch it receives (points stamped with their send time, see sendProbe),
// receive time − send time in the live_latency Trend. A connection that drops is reopened with `since` = the last
// cursor, as the wall does (the replay makes it miss nothing). Server pings are answered; a dead server is seen as
// a close.
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import { CONFIG, LIVE_METRIC, WS_URL } from './config.js';

const TICK_PREFIX = '42["live:tick",';

export const liveLatency = new Trend('live_latency', true);
export const liveMessages = new Counter('live_messages');
export const livePoints = new Counter('live_points');
export const probesReceived = new Counter('live_probes_received');
/** every connection attempt (first ones and reconnects): true when socket.io accepted it */
export const viewerConnected = new Rate('viewer_connected');
/** clients that connected at least once */
export const viewerClients = new Counter('viewer_clients');
export const viewerReconnects = new Counter('viewer_reconnects');
export const viewerConnectTime = new Trend('viewer_connect_time', true);
export const viewerDrops = new Counter('viewer_drops');
export const streamResets = new Counter('viewer_stream_resets');
export const subscribeFailures = new Counter('viewer_subscribe_failures');

/**
 * One wall client for the whole scenario (run it as one iteration of a per-vu-iterations scenario).
 * probesFrom: points stamped at or after this (epoch ms) are probes; older ones are backfill and not timed.
 * connectAt / closeAt: epoch ms when this client opens and leaves.
 */
export function runViewer({ probesFrom, connectAt, closeAt }) {
  const seen = new Map(); // probe ts (ms) → receive time: one latency sample per probe batch
  let cursor = null;
  let opened = 0;
  let closing = false;
  let ws = null;
  let everConnected = false;
  let loggedDrops = 0;
  // counted here and added to the k6 metrics every few seconds: one sample per message per counter would cost
  // k6 more than the messages themselves
  const pending = { messages: 0, points: 0, probes: 0 };
  const flush = () => {
    if (pending.messages > 0) liveMessages.add(pending.messages);
    if (pending.points > 0) livePoints.add(pending.points);
    if (pending.probes > 0) probesReceived.add(pending.probes);
    pending.messages = 0;
    pending.points = 0;
    pending.probes = 0;
  };
  const flusher = setInterval(flush, 5000);

  function open() {
    opened += 1;
    const startedAt = Date.now();
    let connected = false;
    const socket = new WebSocket(WS_URL);
    ws = socket;

    socket.onmessage = (event) => {
      const msg = typeof event.data === 'string' ? event.data : String(event.data);
      const eio = msg.charCodeAt(0);
      if (eio === 50 /* '2' ping */) {
        socket.send('3');
        return;
      }
      if (eio === 48 /* '0' open */) {
        // "0{sid, upgrades, pingInterval, pingTimeout, maxPayload}": the server pings, we answer
        socket.send(`40${JSON.stringify({ token: CONFIG.viewerToken })}`);
        return;
      }
      if (eio === 49 /* '1' close */) {
        socket.close();
        return;
      }
      if (eio !== 52 /* '4' message */) return;
      const kind = msg.charCodeAt(1);
      if (kind === 50 /* '2' event */) {
        if (msg.startsWith(TICK_PREFIX)) return onTick(msg);
        const [name] = JSON.parse(msg.slice(msg.indexOf('[')));
        if (name === 'stream:reset') {
          streamResets.add(1);
          subscribe(false);
        }
      } else if (kind === 51 /* '3' ack */) {
        const [ack] = JSON.parse(msg.slice(msg.indexOf('[')));
        if (ack && ack.ok) {
          if (cursor === null) cursor = ack.cursor;
        } else {
          subscribeFailures.add(1);
          console.warn(`subscribe refused: ${JSON.stringify(ack)}`);
        }
      } else if (kind === 48 /* '0' connect */) {
        connected = true;
        viewerConnected.add(true);
        if (everConnected) viewerReconnects.add(1);
        else viewerClients.add(1);
        everConnected = true;
        viewerConnectTime.add(Date.now() - startedAt);
        subscribe(cursor !== null);
      } else if (kind === 52 /* '4' connect_error */) {
        viewerConnected.add(false);
        console.warn(`socket.io refused the connection: ${msg.slice(2)}`);
        closing = true;
        socket.close();
      } else if (kind === 49 /* '1' disconnect */) {
        socket.close();
      }
    };

    socket.onerror = (event) => {
      if (!connected && !closing) {
        viewerConnected.add(false);
        console.warn(`websocket error before connecting: ${event && event.error}`);
      }
    };

    socket.onclose = (event) => {
      if (closing || Date.now() >= closeAt - 1000) return;
      // dropped by the server or the network: reopen, resuming from the last cursor
      viewerDrops.add(1);
      if (loggedDrops < 1 && exec.vu.idInTest % 50 === 1) {
        loggedDrops += 1;
        console.warn(
          `viewer ${exec.vu.idInTest} dropped (close code ${event && event.code}, ${connected ? 'after connecting' : 'before connecting'})`,
        );
      }
      if (opened >= 20) return;
      setTimeout(open, 1000);
    };

    function subscribe(resume) {
      const request = { channels: [{ metric: LIVE_METRIC, units: 'provinces' }], alerts: true };
      if (resume && cursor !== null) request.since = cursor;
      socket.send(`420${JSON.stringify(['subscribe', request])}`);
    }
  }

  /**
   * A live:tick, read without JSON.parse: parsing every tick of 1,000 clients in k6's JavaScript engine costs more
   * CPU than the server spends sending them (measured with the earlier row format: ~225 µs per 34-point tick with
   * JSON.parse, ~30 µs scanning), and k6 shares the machine with the server. The tick is
   * {"deltas":[…],"alerts":[…],"cursor":"…"}, each delta columns {"channel","metric","units":[…],"ts":[…],"values":[…]}
   * with ts in epoch ms (SeriesDelta in @dxoc/contracts); only the ts columns (up to "alerts") and the cursor are read.
   */
  function onTick(msg) {
    const now = Date.now();
    pending.messages += 1;
    const alertsAt = msg.lastIndexOf('"alerts":');
    const end = alertsAt < 0 ? msg.length : alertsAt;
    let points = 0;
    let from = 0;
    let last = NaN;
    for (;;) {
      const k = msg.indexOf('"ts":[', from);
      if (k < 0 || k > end) break;
      const close = msg.indexOf(']', k + 6);
      from = close + 1;
      if (close === k + 6) continue; // an empty delta
      for (const text of msg.slice(k + 6, close).split(',')) {
        points += 1;
        const t = +text;
        if (t === last) continue; // a probe batch: its points share one ts
        last = t;
        if (t < probesFrom || seen.has(t)) continue;
        seen.set(t, now);
        liveLatency.add(now - t);
        pending.probes += 1;
      }
    }
    pending.points += points;
    const c = msg.lastIndexOf('"cursor":"');
    if (c > 0) cursor = msg.slice(c + 10, msg.indexOf('"', c + 10));
    if (seen.size > 2000) {
      for (const [t] of seen) {
        seen.delete(t);
        if (seen.size <= 1000) break;
      }
    }
  }

  const start = setTimeout(open, Math.max(0, connectAt - Date.now()));
  setTimeout(
    () => {
      closing = true;
      clearTimeout(start);
      clearInterval(flusher);
      flush();
      if (ws && ws.readyState === 1) {
        ws.send('41');
        ws.close();
      }
    },
    Math.max(0, closeAt - Date.now()),
  );
  return exec.vu.idInTest;
}
