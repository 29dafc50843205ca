import { setImmediate as turn, setTimeout as sleep } from 'node:timers/promises';
import { http, type HttpHandler } from 'msw';
import type { OktaSimulator } from '../../src/simulator/index.js';

/**
 * Okta answering every request one round trip late, on a fake clock: the simulator (without
 * latency) behind msw, holding each request until the round it arrived in ends. A round ends
 * when the client has sent all it can (every slot is taken, or nothing new arrives); the
 * requests held are then answered together and the next round begins. So a read's length in
 * round trips, and which request went out in which round, are measured without timing: what a
 * real sync against an Okta answering each request in a fixed latency would do.
 */
export class Rounds {
  /** The requests sent in each round (their `label`). */
  readonly log: string[][] = [];
  #held: Array<{ label: string; release: () => void }> = [];
  #arrived = 0;
  /** Answers released whose body the client has not read yet. */
  #outstanding = 0;

  constructor(
    private readonly sim: OktaSimulator,
    /** The org's origin (`https://<hostname>`): every request to it waits for its round. */
    private readonly origin: string,
    /** The client's maxConcurrency: a round with that many requests held cannot take more. */
    private readonly slots: number,
    /** How a request is named in the log. */
    private readonly label: (url: URL) => string,
  ) {}

  /** The msw handler: every request to the org waits for the end of its round. */
  handler(): HttpHandler {
    return http.all(`${this.origin}/*`, async ({ request }) => {
      const label = this.label(new URL(request.url));
      (this.log[this.log.length - 1] ?? this.log[this.log.push([]) - 1]!).push(label);
      this.#arrived++;
      await new Promise<void>((release) => this.#held.push({ label, release }));
      const response = await this.sim.fetch(request);
      if (response.type === 'error' || response.body === null) {
        this.#outstanding--;
        return response;
      }
      // The round is not over before the client has read every answer of it.
      const bytes = new Uint8Array(await response.arrayBuffer());
      const body = new ReadableStream<Uint8Array>({
        pull: (controller) => {
          controller.enqueue(bytes);
          controller.close();
          this.#outstanding--;
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    });
  }

  /**
   * Runs `work` round by round until it settles; its result. The answers of a round reach the
   * client together, in the order their requests arrived, except those named in `late`: they
   * come once the client has done what it does with the others (still within the round).
   */
  async run<T>(work: Promise<T>, late: readonly string[] = []): Promise<T> {
    let settled = false;
    const done = work.finally(() => void (settled = true));
    done.catch(() => undefined);
    for (;;) {
      await this.#quiet();
      if (this.#held.length === 0) {
        if (settled) return done;
        throw new Error('the client sent nothing and did not finish');
      }
      const release = this.#held.splice(0);
      this.log.push([]);
      this.#outstanding += release.length;
      for (const { release: r } of release.filter((h) => !late.includes(h.label))) r();
      const rest = release.filter((h) => late.includes(h.label));
      if (rest.length > 0) {
        for (let i = 0; i < 50; i++) await turn();
        for (const { release: r } of rest) r();
      }
    }
  }

  /** Waits until every slot holds a request, or until nothing new arrives for a while (event-loop turns and zero-delay timers, not time). */
  async #quiet(): Promise<void> {
    let seen = -1;
    let still = 0;
    while (this.#held.length < this.slots && (still < 50 || this.#outstanding > 0)) {
      // Mostly event-loop turns; every tenth a zero-delay timer, for work queued on timers.
      await (still % 10 === 9 ? sleep(0) : turn());
      if (this.#arrived === seen && this.#outstanding === 0) still++;
      else {
        seen = this.#arrived;
        still = 0;
      }
    }
  }

  /** Round trips the read took (rounds that sent something). */
  get trips(): number {
    return this.log.filter((round) => round.length > 0).length;
  }

  /** The first round in which a request matching `label` went out (-1: none). */
  roundOf(label: string): number {
    return this.log.findIndex((round) => round.includes(label));
  }
}
