/**
 * Stand-in for k6/websockets: a WebSocket that the test plays the server of. The client side is what the scripts
 * use of k6's (send, close, readyState, onmessage/onerror/onclose); server* methods drive it from the test.
 */
import { k6 } from './state';

export class FakeWebSocket {
  readyState = 0; // CONNECTING; 1 OPEN, 3 CLOSED as in the browser API k6 follows
  readonly sent: string[] = [];
  closedByClient = false;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onerror: ((event: { error: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;

  constructor(readonly url: string) {
    const state = k6();
    if (state.phase === 'init') throw new Error('a WebSocket opened in the init context');
    state.sockets.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1)
      throw new Error(`send on a WebSocket that is not open (readyState ${this.readyState}): ${data.slice(0, 40)}`);
    this.sent.push(data);
  }

  close(): void {
    if (this.readyState === 3) return;
    this.closedByClient = true;
    this.readyState = 3;
    this.onclose?.({ code: 1000 });
  }

  // the server's side

  serverOpen(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  serverSend(data: string): void {
    if (this.readyState !== 1) throw new Error('the server sends on a closed socket');
    this.onmessage?.({ data });
  }

  /** The connection drops (server restart, network): an abnormal close. */
  serverDrop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  /** The frames sent since `from`, and the index to read from next time. */
  take(from = 0): string[] {
    return this.sent.slice(from);
  }
}

export { FakeWebSocket as WebSocket };
