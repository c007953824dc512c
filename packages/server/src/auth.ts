import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '@sopflow/runtime';

/** One credential: a bearer token (or its SHA-256), the actor it stands for, and its roles. */
export interface TokenEntry {
  /** the token itself (at least 16 characters) */
  token?: string;
  /** or its SHA-256 in hex, so the file need not hold the secret */
  sha256?: string;
  /** the actor id the journal records */
  actor: string;
  roles?: string[];
}

/** A tokens file that cannot be used: what is wrong with it. */
export class TokensError extends Error {
  override name = 'TokensError';
}

const MIN_TOKEN = 16;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a tokens file: JSON, `{ "tokens": [ { "token" | "sha256", "actor", "roles"? } ] }` or
 * the list alone. Throws `TokensError` saying which entry is wrong (never echoing a token).
 */
export function parseTokens(text: string): TokenEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TokensError(`the tokens file is not JSON (${error instanceof Error ? error.message.replace(/".*"/, '…') : 'parse error'})`);
  }
  const list = Array.isArray(data) ? data : isObject(data) ? data.tokens : undefined;
  if (!Array.isArray(list) || list.length === 0)
    throw new TokensError('the tokens file holds no tokens: { "tokens": [ { "token": "…", "actor": "ana", "roles": ["CSR"] } ] }');
  const seen = new Set<string>();
  return list.map((entry, i) => {
    const where = `tokens[${i}]`;
    if (!isObject(entry)) throw new TokensError(`${where} is not an object`);
    const unknown = Object.keys(entry).find((k) => !['token', 'sha256', 'actor', 'roles'].includes(k));
    if (unknown !== undefined) throw new TokensError(`${where}: unknown key "${unknown}" (token, sha256, actor, roles)`);
    if (typeof entry.actor !== 'string' || entry.actor === '')
      throw new TokensError(`${where}: "actor" is the id the journal records, a non-empty string`);
    if ((entry.token === undefined) === (entry.sha256 === undefined))
      throw new TokensError(`${where} (${entry.actor}): give exactly one of "token" and "sha256"`);
    if (entry.token !== undefined && (typeof entry.token !== 'string' || entry.token.length < MIN_TOKEN))
      throw new TokensError(`${where} (${entry.actor}): a token is a string of at least ${MIN_TOKEN} characters`);
    if (entry.sha256 !== undefined && (typeof entry.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(entry.sha256)))
      throw new TokensError(`${where} (${entry.actor}): "sha256" is 64 hex digits`);
    if (entry.roles !== undefined && (!Array.isArray(entry.roles) || !entry.roles.every((r) => typeof r === 'string' && r !== '')))
      throw new TokensError(`${where} (${entry.actor}): "roles" is a list of role names`);
    const digest = entry.sha256 !== undefined ? entry.sha256.toLowerCase() : sha256(entry.token as string);
    if (seen.has(digest)) throw new TokensError(`${where} (${entry.actor}): the same token twice`);
    seen.add(digest);
    const out: TokenEntry = { sha256: digest, actor: entry.actor };
    if (entry.roles !== undefined) out.roles = [...(entry.roles as string[])];
    return out;
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Tokens by digest, and the page's sessions (random ids in an HttpOnly cookie). */
export class Credentials {
  private readonly byDigest = new Map<string, Actor>();
  private readonly sessions = new Map<string, { actor: Actor; expires: number }>();

  constructor(
    tokens: readonly TokenEntry[],
    private readonly sessionTtlMs: number,
  ) {
    for (const t of tokens) {
      const digest = t.sha256 ?? sha256(t.token!);
      this.byDigest.set(digest.toLowerCase(), { id: t.actor, roles: [...(t.roles ?? [])] });
    }
  }

  /** The actor of a presented token, or undefined. Compared by digest in constant time. */
  actorOf(token: string): Actor | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
    const digest = sha256(token);
    for (const [d, actor] of this.byDigest) {
      if (timingSafeEqual(Buffer.from(d, 'hex'), Buffer.from(digest, 'hex'))) return actor;
    }
    return undefined;
  }

  open(actor: Actor, now: number): string {
    this.sweep(now);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { actor, expires: now + this.sessionTtlMs });
    return id;
  }

  session(id: string | undefined, now: number): Actor | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expires <= now) {
      this.sessions.delete(id);
      return undefined;
    }
    return s.actor;
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private sweep(now: number): void {
    if (this.sessions.size < 1000) return;
    for (const [id, s] of this.sessions) if (s.expires <= now) this.sessions.delete(id);
  }
}

/** Loopback addresses and names: where a server without credentials may listen. */
export function isLoopback(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  return a === 'localhost' || a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a) || a === '::ffff:127.0.0.1';
}

/** The host name of a Host header (without the port). */
export function hostName(header: string | undefined): string {
  if (!header) return '';
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(header.trim());
  return m ? m[1]! : '';
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
