import { readCompiledSop, type CompiledSop, type SopMachineConfig } from '@sopflow/compiler';
import { RunError } from '@sopflow/runtime';
import { HostError } from './HostError.js';
import type { SopSummary } from './RunHost.js';

/**
 * The builds a host knows, by content hash, and the newest of each SOP id (the last one
 * published). Old builds stay: a run finishes on the build it started with.
 */
export class SopCatalog {
  private readonly byHash = new Map<string, CompiledSop>();
  private readonly newestById = new Map<string, string>();

  /** Adds a build (checked: a config that cannot run is refused with `invalid-input`). */
  publish(config: SopMachineConfig | unknown, options: { newest?: boolean } = {}): CompiledSop {
    let compiled: CompiledSop;
    try {
      compiled = readCompiledSop(config);
    } catch (error) {
      throw new HostError('invalid-input', error instanceof Error ? error.message : String(error));
    }
    if (!this.byHash.has(compiled.hash)) this.byHash.set(compiled.hash, compiled);
    if (options.newest !== false || !this.newestById.has(compiled.id)) this.newestById.set(compiled.id, compiled.hash);
    return this.byHash.get(compiled.hash)!;
  }

  /** The build with this hash. */
  build(hash: string): CompiledSop {
    const compiled = this.byHash.get(hash);
    if (!compiled) throw new HostError('unavailable', `the host no longer has build ${hash} of the SOP this run follows`);
    return compiled;
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  /** The build new runs of `sopId` start on. */
  newest(sopId: string): CompiledSop {
    const hash = typeof sopId === 'string' ? this.newestById.get(sopId) : undefined;
    if (hash === undefined)
      throw new HostError(
        'unknown-sop',
        `no SOP with id ${JSON.stringify(sopId)} is served${this.newestById.size ? ` (served: ${[...this.newestById.keys()].join(', ')})` : ''}`,
      );
    return this.byHash.get(hash)!;
  }

  summaries(): SopSummary[] {
    return [...this.byHash.values()].map((c) => summary(c, this.newestById.get(c.id) === c.hash));
  }
}

export function summary(c: CompiledSop, newest: boolean): SopSummary {
  return { id: c.id, ...(c.version !== undefined ? { version: c.version } : {}), title: c.title, hash: c.hash, newest };
}

/** Runs a run operation, turning the run's refusals into HostErrors. */
export function refusing<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RunError) throw HostError.from(error);
    throw error;
  }
}
