import { Inject } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service';
import { tokenFrom } from '../auth/auth.guard';
import type { Principal } from '@dxoc/contracts';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SubscribeAck,
  type StreamDenied,
  type StreamDeniedReason,
  type SubscribeRequest,
} from '@dxoc/contracts';
import { DENIAL_MESSAGES, type StreamCredential } from '../auth/stream-credentials';
import { LiveHub } from './live-hub';
import { LiveCredentialWatch } from './live-credentials';

type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { principal: Principal; credential: StreamCredential }
>;

/**
 * socket.io endpoint of the live stream. The handshake must carry a session or viewer token
 * (`auth: { token }`, a bearer header or the session cookie); anything else is refused before connecting, with
 * the reason as the error's data ({ reason, message }: a revoked token is told apart from an unknown one). The
 * credential is checked again for the life of the connection (LiveCredentialWatch): when it stops holding, the
 * socket gets 'stream:denied' with the reason and is disconnected.
 */
@WebSocketGateway({ path: SOCKET_PATH, serveClient: false, transports: ['websocket', 'polling'] })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    @Inject(LiveHub) private readonly hub: LiveHub,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(LiveCredentialWatch) private readonly credentials: LiveCredentialWatch,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const token = typeof fromAuth === 'string' ? fromAuth : tokenFrom(socket.handshake.headers);
      if (!token) return next(refused('unauthorized', 'unauthorized: send a session or viewer token as auth.token'));
      this.auth
        .resolveCredential(token)
        .then(async (resolved) => {
          if (!resolved) {
            const reason = await this.auth.refusalReason(token);
            return next(refused(reason, `unauthorized: ${DENIAL_MESSAGES[reason]}`));
          }
          (socket as LiveSocket).data.principal = resolved.principal;
          (socket as LiveSocket).data.credential = resolved.credential;
          next();
        })
        .catch(() => next(new Error('unavailable: try again')));
    });
    // one encode for every client of a group: socket.io broadcasts to the clients' own rooms (their ids)
    this.hub.useBroadcaster((clientIds, tick) => server.to(clientIds).emit('live:tick', tick));
    this.hub.start();
  }

  handleConnection(socket: LiveSocket): void {
    this.credentials.watch(socket.id, socket.data.credential, (reason) => {
      // the reason first, then the disconnect: both go out on the same transport, in this order
      socket.emit('stream:denied', { reason, message: DENIAL_MESSAGES[reason] });
      socket.disconnect(true);
    });
    this.hub.attach({
      id: socket.id,
      broadcastable: true,
      unitScope: socket.data.principal.role === 'operator' ? (socket.data.principal.unitCode ?? '') : null,
      emitTick: (tick) => socket.emit('live:tick', tick),
      emitReset: (reason) => socket.emit('stream:reset', { reason }),
      // engine.io keeps packets here while the transport cannot take them: it grows only for a slow client
      bufferedPackets: () => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length,
    });
    socket.on('subscribe', (request: SubscribeRequest, ack: (result: SubscribeAck) => void) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      this.hub
        .subscribe(socket.id, request ?? { channels: [] })
        .then(reply)
        .catch(() => reply({ ok: false, error: 'unavailable', message: 'the server could not subscribe right now; retry' }));
    });
    socket.on('unsubscribe', (channels: string[], ack?: (result: { ok: true }) => void) => {
      this.hub.unsubscribe(socket.id, Array.isArray(channels) ? channels : []);
      if (typeof ack === 'function') ack({ ok: true });
    });
  }

  handleDisconnect(socket: LiveSocket): void {
    this.credentials.unwatch(socket.id);
    this.hub.detach(socket.id);
  }
}

/** A refused handshake: socket.io hands `data` to the client's connect_error, so the client learns why. */
function refused(reason: StreamDeniedReason, message: string): Error & { data: StreamDenied } {
  return Object.assign(new Error(message), { data: { reason, message } });
}
