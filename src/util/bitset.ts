/**
 * Bitsets over a Uint8Array (the change stream's record of which events of a page are delivered).
 * @module
 */

/** A bitset of `size` bits, all clear. */
export function newBitset(size: number): Uint8Array {
  return new Uint8Array(Math.ceil(size / 8));
}

/**
 * Sets bit `index`.
 */
export function setBit(bits: Uint8Array, index: number): void {
  const byte = index >> 3;
  if (byte < bits.length) bits[byte] = (bits[byte] ?? 0) | (1 << (index & 7));
}

/**
 * Whether bit `index` is set; false beyond the end.
 */
export function hasBit(bits: Uint8Array, index: number): boolean {
  return (((bits[index >> 3] ?? 0) >> (index & 7)) & 1) === 1;
}

/**
 * The highest set bit, or -1 when none is set.
 */
export function highestBit(bits: Uint8Array): number {
  for (let byte = bits.length - 1; byte >= 0; byte--) {
    const value = bits[byte] ?? 0;
    if (value !== 0) return byte * 8 + (31 - Math.clz32(value));
  }
  return -1;
}

/**
 * Clears bit `index`.
 */
export function clearBit(bits: Uint8Array, index: number): void {
  const byte = index >> 3;
  if (byte < bits.length) bits[byte] = (bits[byte] ?? 0) & ~(1 << (index & 7));
}
