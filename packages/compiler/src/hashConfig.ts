/** A short, stable content hash (cyrb53, base 36) of a JSON value: identifies a compiled config. */
export function hashJson(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  // two UTF-16 units per round: half the rounds for the megabytes of a large config
  const even = text.length & ~1;
  for (let i = 0; i < even; i += 2) {
    const ch = (text.charCodeAt(i) << 16) | text.charCodeAt(i + 1);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  if (even < text.length) {
    const ch = text.charCodeAt(even);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36).padStart(11, '0');
}
