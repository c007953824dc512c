import { HostError } from '@sopflow/host';

/*
 * The Restate services of one sopflow namespace. Every name starts with the namespace, so several
 * sopflow deployments (production, staging, a test) can share one Restate cluster.
 */

export const DEFAULT_NAMESPACE = 'sopflow';

/** How many index objects hold each group (live runs, ended runs). Fixed: every endpoint and
 *  client of a namespace must agree on it, and runs already indexed stay where they are. */
export const INDEX_SHARDS = 16;

export interface ServiceNames {
  namespace: string;
  /** virtual object per run id */
  run: string;
  /** virtual object per build hash: the compiled config */
  build: string;
  /** one virtual object (key `catalog`): the builds served and the newest per SOP id */
  catalog: string;
  /** virtual objects `active.<n>` and `ended.<n>`: the list index */
  index: string;
  /** service: runs actions */
  actions: string;
}

export function checkNamespace(namespace: unknown): string {
  if (namespace === undefined) return DEFAULT_NAMESPACE;
  if (typeof namespace !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,47}$/.test(namespace)) {
    throw new HostError('bad-request', 'a namespace is a letter, then letters, digits or _ (at most 48)');
  }
  return namespace;
}

export function serviceNames(namespace?: string): ServiceNames {
  const ns = checkNamespace(namespace);
  return {
    namespace: ns,
    run: `${ns}.Run`,
    build: `${ns}.Build`,
    catalog: `${ns}.Catalog`,
    index: `${ns}.Index`,
    actions: `${ns}.Actions`,
  };
}

export const CATALOG_KEY = 'catalog';

/** FNV-1a over the id's UTF-16 code units: stable across processes and versions. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export type IndexGroup = 'active' | 'ended';

/** The index object a run's row lives in: by group, then by a hash of its id. */
export function indexKey(group: IndexGroup, runId: string): string {
  return `${group}.${hash32(runId) % INDEX_SHARDS}`;
}

export function indexKeys(group: IndexGroup): string[] {
  return Array.from({ length: INDEX_SHARDS }, (_, n) => `${group}.${n}`);
}
