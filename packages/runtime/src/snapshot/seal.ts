import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { RunError } from '../RunError.js';
import type { RunSnapshot } from './RunSnapshot.js';

/** A seal key: text (UTF-8) or bytes. Keep it where the snapshots' users cannot read it. */
export type SealKey = string | Uint8Array;

/*
 * Sealing uses HMAC-SHA256 from @noble/hashes: audited, synchronous and the same in Node and
 * the browser (WebCrypto's HMAC is asynchronous, and persist() is not), in about 4 KB.
 */

/** JSON with object keys sorted, so the same snapshot always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function mac(snapshot: RunSnapshot, key: SealKey): string {
  const { seal: _ignored, ...rest } = snapshot;
  const bytes = hmac(sha256, toBytes(key), new TextEncoder().encode(canonicalJson(rest)));
  return base64url(bytes);
}

function toBytes(key: SealKey): Uint8Array {
  if (typeof key === 'string' && key.length > 0) return new TextEncoder().encode(key);
  if (key instanceof Uint8Array && key.length > 0) return key;
  throw new RunError('invalid-input', 'a seal key is a non-empty string or Uint8Array');
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The snapshot with its seal: an HMAC of everything else, so any edit is detected. */
export function sealSnapshot(snapshot: RunSnapshot, key: SealKey): RunSnapshot {
  return { ...snapshot, seal: mac(snapshot, key) };
}

/** Throws `RunError('invalid-seal')` unless the snapshot carries the seal `key` makes for it. */
export function verifySeal(snapshot: RunSnapshot, key: SealKey): void {
  if (typeof snapshot.seal !== 'string' || snapshot.seal === '')
    throw new RunError('invalid-seal', 'the snapshot is not sealed, and this run requires a seal');
  const expected = mac(snapshot, key);
  let diff = expected.length ^ snapshot.seal.length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (snapshot.seal.charCodeAt(i) || 0);
  if (diff !== 0)
    throw new RunError(
      'invalid-seal',
      "the snapshot's seal does not match: it was changed after it was persisted, or sealed with another key",
    );
}
