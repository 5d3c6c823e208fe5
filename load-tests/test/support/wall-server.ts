/**
 * The server side of a wall client's socket.io conversation, framed by the real protocol libraries (engine.io-parser,
 * socket.io-parser: what the backend's socket.io speaks) so that the scripts' hand-made framing is checked against
 * them, with payloads typed by the socket contract in @dxoc/contracts.
 */
import { decodePacket, encodePacket, type Packet as EioPacket } from 'engine.io-parser';
import { Decoder, Encoder, PacketType, type Packet as SioPacket } from 'socket.io-parser';
import type { LiveTick, SubscribeAck } from '@dxoc/contracts';
import type { FakeWebSocket } from '../k6/websockets';

function eio(packet: EioPacket): string {
  let out = '';
  encodePacket(packet, false, (encoded) => (out = encoded as string));
  return out;
}

function sio(packet: SioPacket): string {
  const [encoded] = new Encoder().encode(packet);
  return eio({ type: 'message', data: encoded as string });
}

/** Decodes a frame the client sent: the Engine.IO packet and, for a message, the socket.io packet inside. */
export function decodeClientFrame(frame: string): { eio: EioPacket; sio: SioPacket | null } {
  const outer = decodePacket(frame);
  if (outer.type === 'error') throw new Error(`not an Engine.IO packet: ${frame}`);
  if (outer.type !== 'message') return { eio: outer, sio: null };
  let inner: SioPacket | null = null;
  const decoder = new Decoder();
  decoder.on('decoded', (packet: SioPacket) => (inner = packet));
  decoder.add(outer.data as string); // throws on a malformed socket.io packet
  if (!inner) throw new Error(`an incomplete socket.io packet: ${frame}`);
  return { eio: outer, sio: inner };
}

export const frames = {
  open: () =>
    eio({
      type: 'open',
      data: JSON.stringify({ sid: 'eio-sid', upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 }),
    }),
  ping: () => eio({ type: 'ping' }),
  connected: () => sio({ type: PacketType.CONNECT, nsp: '/', data: { sid: 'sio-sid' } }),
  connectError: (message: string) => sio({ type: PacketType.CONNECT_ERROR, nsp: '/', data: { message } }),
  ack: (id: number, ack: SubscribeAck) => sio({ type: PacketType.ACK, nsp: '/', id, data: [ack] }),
  tick: (tick: LiveTick) => sio({ type: PacketType.EVENT, nsp: '/', data: ['live:tick', tick] }),
  streamReset: (reason: string) => sio({ type: PacketType.EVENT, nsp: '/', data: ['stream:reset', { reason }] }),
};

/** Frames the client sends from now on: each call returns those since the previous one. */
export function reader(ws: FakeWebSocket): () => string[] {
  let at = ws.sent.length;
  return () => {
    const out = ws.sent.slice(at);
    at = ws.sent.length;
    return out;
  };
}
