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
  type SubscribeRequest,
} from '@dxoc/contracts';
import { LiveHub } from './live-hub';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { principal: Principal }>;

/**
 * socket.io endpoint of the live stream. The handshake must carry a session or viewer token
 * (`auth: { token }`, a bearer header or the session cookie); anything else is refused before connecting.
 */
@WebSocketGateway({ path: SOCKET_PATH, serveClient: false, transports: ['websocket', 'polling'] })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    @Inject(LiveHub) private readonly hub: LiveHub,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const token = typeof fromAuth === 'string' ? fromAuth : tokenFrom(socket.handshake.headers);
      if (!token) return next(new Error('unauthorized: send a session or viewer token as auth.token'));
      this.auth
        .resolve(token)
        .then((principal) => {
          if (!principal) return next(new Error('unauthorized: the token is unknown, expired or revoked'));
          (socket as LiveSocket).data.principal = principal;
          next();
        })
        .catch(() => next(new Error('unavailable: try again')));
    });
    // one encode for every client of a group: socket.io broadcasts to the clients' own rooms (their ids)
    this.hub.useBroadcaster((clientIds, tick) => server.to(clientIds).emit('live:tick', tick));
    this.hub.start();
  }

  handleConnection(socket: LiveSocket): void {
    this.hub.attach({
      id: socket.id,
      broadcastable: true,
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
    this.hub.detach(socket.id);
  }
}
