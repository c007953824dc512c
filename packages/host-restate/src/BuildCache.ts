import { readCompiledSop, type CompiledSop } from '@sopflow/compiler';
import { HostError } from '@sopflow/host';

/**
 * Compiled builds by content hash. A build never changes under its hash, so each process keeps
 * what it has fetched for good, and concurrent misses share one fetch.
 */
export class BuildCache {
  private readonly builds = new Map<string, CompiledSop>();
  private readonly fetching = new Map<string, Promise<CompiledSop>>();

  constructor(private readonly fetchConfig: (hash: string) => Promise<unknown>) {}

  has(hash: string): boolean {
    return this.builds.has(hash);
  }

  /** Adds a build this process already holds (a config it just published). */
  add(compiled: CompiledSop): void {
    this.builds.set(compiled.hash, compiled);
  }

  async get(hash: string): Promise<CompiledSop> {
    const known = this.builds.get(hash);
    if (known) return known;
    let pending = this.fetching.get(hash);
    if (!pending) {
      pending = (async () => {
        const config = await this.fetchConfig(hash);
        if (config === null || config === undefined)
          throw new HostError('invalid-snapshot', `the run follows build ${hash}, which Restate does not hold`);
        let compiled: CompiledSop;
        try {
          compiled = readCompiledSop(config);
        } catch (error) {
          throw new HostError(
            'invalid-snapshot',
            `build ${hash} as Restate holds it cannot run: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        if (compiled.hash !== hash) throw new HostError('invalid-snapshot', `Restate holds build ${compiled.hash} under hash ${hash}`);
        this.builds.set(hash, compiled);
        return compiled;
      })();
      this.fetching.set(hash, pending);
      void pending.then(
        () => this.fetching.delete(hash),
        () => this.fetching.delete(hash),
      );
    }
    return pending;
  }
}
