/**
 * The simulator without a socket: a fetch `Request` in, a `Response` out, answered exactly as
 * the HTTP server answers (same pipeline, same counters, same rate-limit windows). This is what
 * a request-mocking library (msw, nock) hands requests to, so tests can talk to the simulator
 * at any origin, such as the `https://example.okta.com` a connector is configured with.
 * @module
 */
import type { Dispatcher } from './dispatcher.js';
import type { Reply, SimRequest } from './exchange.js';

function simRequest(request: Request): SimRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    url,
    origin: url.origin,
    header: (name) => request.headers.get(name) ?? undefined,
    async body(maxBytes) {
      const text = await request.text();
      return Buffer.byteLength(text, 'utf8') > maxBytes ? null : text;
    },
    discard: () => undefined,
  };
}

function headers(dispatcher: Dispatcher, reply: Reply, length: number): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(dispatcher.headersOf(reply, length))) {
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  }
  return out;
}

/**
 * Answers `request`. The latency and `slow` faults are waited in real time; a `drop` is a
 * network error (`Response.error()`), a `drop-mid-body` a body that fails half-way.
 */
export async function respond(dispatcher: Dispatcher, request: Request): Promise<Response> {
  try {
    let decision;
    try {
      decision = await dispatcher.decide(simRequest(request));
    } catch {
      // What the HTTP server does when the token endpoint fails: it cuts the connection.
      return Response.error();
    }
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    const answer = decision.answer();
    if (answer.kind === 'drop') return Response.error();
    const bytes = Buffer.from(answer.reply.body, 'utf8');
    const head = { status: answer.reply.status, headers: headers(dispatcher, answer.reply, bytes.length) };
    if (answer.kind === 'drop-mid-body') {
      const half = bytes.subarray(0, Math.floor(bytes.length / 2));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(half);
          controller.error(new Error('the simulator dropped the connection mid-body'));
        },
      });
      return new Response(body, head);
    }
    dispatcher.sent(answer.reply.status);
    return new Response(bytes, head);
  } finally {
    dispatcher.finished();
  }
}
