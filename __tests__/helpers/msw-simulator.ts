import { http, HttpResponse, type HttpHandler } from 'msw';
import type { OktaSimulator } from '../../src/simulator/index.js';
import { ORIGIN } from './msw.js';

/** A request the simulator was asked, as the test saw it go out. */
export interface RecordedRequest {
  method: string;
  url: URL;
  authorization: string | null;
}

/**
 * An msw handler that answers every request to the test org (`https://example.okta.com`) with
 * the simulator, in-process (`sim.fetch`). `seen` gets each request first; `adjust` may change
 * the answer on its way back (a test's own deviation from Okta, such as a skewed `Date`).
 */
export function simulatorHandler(sim: OktaSimulator, options: { seen?: (request: Request) => void; adjust?: (response: Response) => Response } = {}): HttpHandler {
  return http.all(`${ORIGIN}/*`, async ({ request }) => {
    options.seen?.(request);
    const response = await sim.fetch(request);
    return response.type === 'error' || !options.adjust ? response : options.adjust(response);
  });
}

/** The same response with `headers` set. */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  const out = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) out.set(name, value);
  return new Response(response.body, { status: response.status, headers: out });
}

/**
 * An msw handler for one path that answers with the simulator's JSON after `edit` changed it:
 * for the malformed or hostile items Okta should never send (the simulator itself only serves
 * well-formed ones). Register it after the simulator's handler: msw tries the latest first.
 */
export function editedJson(sim: OktaSimulator, path: string, edit: (body: unknown) => unknown, seen?: (request: Request) => void): HttpHandler {
  return http.get(`${ORIGIN}${path}`, async ({ request }) => {
    seen?.(request);
    const response = await sim.fetch(request);
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return HttpResponse.json(edit(await response.json()) as never, { status: response.status, headers });
  });
}
