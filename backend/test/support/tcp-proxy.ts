import net from 'node:net';

/**
 * A TCP proxy in front of a database that a test can break the ways a network and a server do:
 * - cut(): every open connection is reset and new ones are refused, as while a server restarts;
 * - freeze(): connections stay open but no byte passes either way and new ones hang unanswered, as in a network
 *   black hole or a hung server;
 * - freezeAfter(...markers): the same, once one connection has sent all the markers (the last one still reaches the
 *   server, its answer does not): a network that fails between a COMMIT and its answer;
 * - restore(): traffic flows again (frozen connections carry on where they stopped).
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private readonly waiting = new Set<net.Socket>();
  private state: 'open' | 'cut' | 'frozen' = 'open';
  /** freezeAfter's markers, and how many of them each connection has sent so far */
  private trigger: { markers: Buffer[]; sent: WeakMap<net.Socket, number> } | null = null;
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  /** A connection string like `url` that goes through this proxy. */
  through(url: string): string {
    const target = new URL(url);
    target.hostname = '127.0.0.1';
    target.port = String(this.port);
    return target.toString();
  }

  private accept(client: net.Socket): void {
    client.on('error', () => undefined);
    if (this.state === 'cut') return void client.destroy();
    if (this.state === 'frozen') {
      this.waiting.add(client);
      client.pause();
      client.once('close', () => this.waiting.delete(client));
      return;
    }
    this.connect(client);
  }

  private connect(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    const forget = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', forget);
    upstream.once('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
    // after pipe's own listener: the chunk that completes the markers is already on its way to the server
    client.on('data', (chunk: Buffer) => this.watch(client, chunk));
    client.resume();
  }

  private watch(client: net.Socket, chunk: Buffer): void {
    const trigger = this.trigger;
    if (!trigger) return;
    let sent = trigger.sent.get(client) ?? 0;
    while (sent < trigger.markers.length && chunk.includes(trigger.markers[sent]!)) sent += 1;
    trigger.sent.set(client, sent);
    if (sent < trigger.markers.length) return;
    this.trigger = null;
    this.freeze();
  }

  /** Freezes (see freeze()) as soon as one connection has sent each of the markers, in this order, after this call. */
  freezeAfter(...markers: string[]): void {
    this.trigger = { markers: markers.map((marker) => Buffer.from(marker)), sent: new WeakMap() };
  }

  /** Resets every connection and refuses new ones until restore(). */
  cut(): void {
    this.state = 'cut';
    for (const [client, upstream] of this.pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    for (const client of this.waiting) client.resetAndDestroy();
    this.pairs.clear();
    this.waiting.clear();
  }

  /** Holds every byte and every new connection until restore(); nothing is closed. */
  freeze(): void {
    this.state = 'frozen';
    for (const [client, upstream] of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  restore(): void {
    this.trigger = null;
    const was = this.state;
    this.state = 'open';
    if (was !== 'frozen') return;
    for (const [client, upstream] of this.pairs) {
      client.resume();
      upstream.resume();
    }
    for (const client of this.waiting) this.connect(client);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
