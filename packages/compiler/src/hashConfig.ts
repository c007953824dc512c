/** UTF-16 units hashed per chunk: even, so the two-unit rounds never straddle chunks; small enough to stay in cache. */
const CHUNK = 1 << 15;
/** Reused for every chunk: one ASCII byte per UTF-16 unit, when the chunk is ASCII. */
const chunkBytes = new Uint8Array(CHUNK);
const encoder = new TextEncoder();

/** A short, stable content hash (cyrb53, base 36) of a JSON value: identifies a compiled config. */
export function hashJson(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  const state = { h1: 0xdeadbeef, h2: 0x41c6ce57 };
  // two UTF-16 units per round: half the rounds for the megabytes of a large config. Chunk by
  // chunk, ASCII chunks (nearly all of a config) are read as bytes, which is faster than charCodeAt.
  const even = text.length & ~1;
  for (let start = 0; start < even; start += CHUNK) {
    const end = Math.min(start + CHUNK, even);
    const chunk = text.substring(start, end);
    const { read, written } = encoder.encodeInto(chunk, chunkBytes);
    if (read === chunk.length && written === chunk.length) hashBytes(state, chunkBytes, written);
    else hashUnits(state, chunk);
  }
  let { h1, h2 } = state;
  if (even < text.length) {
    const ch = text.charCodeAt(even);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36).padStart(11, '0');
}

interface HashState {
  h1: number;
  h2: number;
}

/** The rounds over `length` (even) ASCII bytes: each byte is its UTF-16 unit. */
function hashBytes(state: HashState, bytes: Uint8Array, length: number): void {
  let { h1, h2 } = state;
  for (let i = 0; i < length; i += 2) {
    const ch = (bytes[i]! << 16) | bytes[i + 1]!;
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  state.h1 = h1;
  state.h2 = h2;
}

/** The same rounds over the UTF-16 units of `text` (even length). */
function hashUnits(state: HashState, text: string): void {
  let { h1, h2 } = state;
  for (let i = 0; i < text.length; i += 2) {
    const ch = (text.charCodeAt(i) << 16) | text.charCodeAt(i + 1);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  state.h1 = h1;
  state.h2 = h2;
}
