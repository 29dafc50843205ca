/**
 * The simulator over HTTP: a node:http server on 127.0.0.1 that hands each request to the
 * {@link Dispatcher} and writes its answer after the decided delay, cutting the socket for the
 * faults that need one cut.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from './dispatcher.js';
import type { Answer, Decision, Reply, SimRequest } from './exchange.js';
import { TOKEN_PATH } from './oauth.js';

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `req` as the dispatcher reads it. */
function simRequest(req: IncomingMessage, origin: string): SimRequest {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', origin);
  } catch {
    url = new URL('/', origin);
  }
  return {
    method: req.method ?? 'GET',
    url,
    origin,
    header: (name) => firstValue(req.headers[name]),
    async body(maxBytes) {
      const chunks: Buffer[] = [];
      let size = 0;
      // Read to the end even when too large: leaving the loop early would destroy the socket before the answer.
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size <= maxBytes) chunks.push(chunk as Buffer);
      }
      return size > maxBytes ? null : Buffer.concat(chunks).toString('utf8');
    },
    discard: () => void req.resume(),
  };
}

/** The simulator's HTTP server. */
export class SimServer {
  readonly #dispatcher: Dispatcher;
  readonly #timers = new Set<NodeJS.Timeout>();
  #server: Server | null = null;
  #origin = '';

  constructor(dispatcher: Dispatcher) {
    this.#dispatcher = dispatcher;
  }

  /** Starts listening on 127.0.0.1 on a free port; resolves to the origin. */
  async listen(): Promise<string> {
    if (this.#server) throw new Error('the simulator is already started');
    const server = createServer((req, res) => this.#handle(req, res));
    // Keep idle connections like a load balancer does (about a minute) rather than Node's 5 s,
    // so a client that pauses (a test applying many mutations) does not race the server
    // closing the socket it is reusing. stop() closes them all anyway.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#origin;
  }

  /** Stops: clears every pending timer, destroys every socket, closes the listener. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = null;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    // libuv releases the listening handle one loop turn after 'close': wait for it, so that
    // nothing of the simulator is left once stop() resolves.
    await new Promise((resolve) => setImmediate(resolve));
  }

  #later(ms: number, fn: () => void, res: ServerResponse): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const request = simRequest(req, this.#origin);
    const decision = this.#dispatcher.decide(request);
    let finished = false;
    res.once('close', () => {
      if (finished) return;
      finished = true;
      this.#dispatcher.finished();
    });
    // The token endpoint reads its form; every other request is answered without its body.
    if (request.url.pathname !== TOKEN_PATH || !(decision instanceof Promise)) request.discard();
    const answer = (d: Decision): void => this.#later(d.delayMs, () => this.#send(res, d.answer), res);
    if (decision instanceof Promise) decision.then(answer, () => res.destroy());
    else answer(decision);
  }

  #send(res: ServerResponse, answer: () => Answer): void {
    if (res.destroyed || res.writableEnded) return;
    const a = answer();
    if (a.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    const bytes = Buffer.from(a.reply.body, 'utf8');
    if (a.kind === 'drop-mid-body') {
      res.writeHead(a.reply.status, this.#dispatcher.headersOf(a.reply, bytes.length));
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
      return;
    }
    this.#write(res, a.reply, bytes);
  }

  #write(res: ServerResponse, reply: Reply, bytes: Buffer): void {
    this.#dispatcher.sent(reply.status);
    res.writeHead(reply.status, this.#dispatcher.headersOf(reply, bytes.length));
    res.end(bytes);
  }
}
