/**
 * JSON bodies read as they arrive, without whole-body buffers or strings.
 *
 * A page of 200 users or 500 app users is 100-400 KB. Buffering it and calling
 * `JSON.parse(buffer.toString())` makes a Buffer and a string that large per page (V8 puts the
 * string in its large-object space, freed only by a full collection) plus the whole page's
 * object tree at once; over a sync of a thousand pages that garbage, not the data kept, sets
 * the process's peak memory. {@link JsonReader} instead cuts a top-level array into its
 * elements as the chunks come in and parses each element on its own, so every string is a
 * few KB and dies young. Other bodies (objects, error bodies) are small and parsed whole, within
 * a bound of their own: a 32 MB object of one nested array would cost what a hostile page does.
 * @module
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const isSpace = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** What an element's `map` returns for an element that is not kept: the element is counted, not stored. */
export const SKIP: unique symbol = Symbol('skip');

/** Thrown by {@link JsonReader.write} when a top-level array holds more elements than allowed. */
export class TooManyElements extends Error {
  constructor(readonly max: number) {
    super(`more than ${max} elements`);
  }
}

/** Thrown by {@link JsonReader.write} when a body that is not an array grows past `maxObjectBytes`. */
export class ObjectTooLarge extends Error {
  constructor(readonly max: number) {
    super(`a non-array body larger than ${max} bytes`);
  }
}

/** Options of a {@link JsonReader}. */
export interface JsonReaderOptions {
  /** Applied to each element of a top-level array as soon as it is parsed (so only its result is kept; {@link SKIP} keeps nothing). */
  map?: ((element: unknown, index: number) => unknown) | undefined;
  /** The most elements a top-level array may hold: the next one throws {@link TooManyElements} before it is parsed. */
  maxElements?: number | undefined;
  /** The most bytes of a body that is not an array (parsed whole, all at once): more throws {@link ObjectTooLarge}. */
  maxObjectBytes?: number | undefined;
}

/** Where the reader is: before the body, inside a non-array body, before the first element, in an element, after the array. */
type State = 'start' | 'whole' | 'first' | 'element' | 'done';

/**
 * An incremental JSON reader. `write` each chunk, then `end()` returns the parsed value. It
 * throws a SyntaxError exactly when `JSON.parse` of the whole text would: the scanner only
 * finds where each array element ends (a `,` or `]` outside strings and nesting), and each
 * element is then parsed strictly by `JSON.parse`, which refuses an empty or malformed one
 * (`[1,,2]`, `[1,]`, `[1 2]`, `[{]`); only white space may follow the array.
 */
export class JsonReader {
  #state: State = 'start';
  readonly #map: ((element: unknown, index: number) => unknown) | undefined;
  readonly #maxElements: number;
  readonly #maxObjectBytes: number;
  /** Bytes of a non-array body so far. */
  #wholeBytes = 0;
  readonly #items: unknown[] = [];
  /** Elements parsed so far (kept or not). */
  #count = 0;
  /** Bytes of the current element (or, for a non-array body, of the whole body) read so far. */
  #parts: Buffer[] = [];
  #depth = 0;
  #inString = false;
  #escaped = false;

  constructor(options: JsonReaderOptions = {}) {
    this.#map = options.map;
    this.#maxElements = options.maxElements ?? Infinity;
    this.#maxObjectBytes = options.maxObjectBytes ?? Infinity;
  }

  write(chunk: Buffer): void {
    if (this.#state === 'whole') {
      this.#keepWhole(chunk);
      return;
    }
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.#state === 'element') {
        if (this.#inString) {
          if (this.#escaped) this.#escaped = false;
          else if (byte === BACKSLASH) this.#escaped = true;
          else if (byte === QUOTE) this.#inString = false;
        } else if (byte === QUOTE) {
          this.#inString = true;
        } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          this.#depth++;
        } else if (byte === CLOSE_BRACE || (byte === CLOSE_BRACKET && this.#depth > 0)) {
          this.#depth--;
        } else if ((byte === COMMA || byte === CLOSE_BRACKET) && this.#depth === 0) {
          this.#parts.push(chunk.subarray(start, i));
          this.#parseElement();
          start = i + 1;
          if (byte === CLOSE_BRACKET) this.#state = 'done';
          // Another element follows: refused before a byte of it is kept.
          else if (this.#count >= this.#maxElements) throw new TooManyElements(this.#maxElements);
        }
      } else if (!isSpace(byte)) {
        if (this.#state === 'start' && byte === OPEN_BRACKET) {
          this.#state = 'first';
        } else if (this.#state === 'start') {
          this.#state = 'whole';
          this.#keepWhole(chunk.subarray(i));
          return;
        } else if (this.#state === 'first' && byte === CLOSE_BRACKET) {
          this.#state = 'done';
        } else if (this.#state === 'first') {
          if (this.#maxElements < 1) throw new TooManyElements(this.#maxElements);
          this.#state = 'element';
          start = i--;
        } else {
          throw new SyntaxError('Unexpected non-whitespace character after JSON');
        }
      }
    }
    if (this.#state === 'element') this.#parts.push(chunk.subarray(start));
  }

  /** The parsed body; throws when it is incomplete or not JSON. */
  end(): unknown {
    if (this.#state === 'whole') return JSON.parse(Buffer.concat(this.#parts).toString('utf8'));
    if (this.#state !== 'done') throw new SyntaxError('Unexpected end of JSON input');
    return this.#items;
  }

  #keepWhole(bytes: Buffer): void {
    this.#wholeBytes += bytes.length;
    if (this.#wholeBytes > this.#maxObjectBytes) throw new ObjectTooLarge(this.#maxObjectBytes);
    this.#parts.push(bytes);
  }

  #parseElement(): void {
    const bytes = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts);
    this.#parts = [];
    const element: unknown = JSON.parse(bytes.toString('utf8'));
    const index = this.#count++;
    const kept = this.#map ? this.#map(element, index) : element;
    if (kept !== SKIP) this.#items.push(kept);
  }
}
