import path from 'node:path';
import type { SopMachineConfig } from '@sopflow/compiler';
import type { HostAction, RunHost } from '@sopflow/host';
import { CliError } from '../io.js';

/** The engines `sopflow serve --engine` knows. */
export const ENGINES = ['local', 'restate'] as const;
export type Engine = (typeof ENGINES)[number];

export interface RunHostOptions {
  engine: Engine;
  /** the local engine's database file (absolute) */
  db: string;
  sops: SopMachineConfig[];
  actions: Record<string, HostAction>;
  /** with credentials: a step's `role` is enforced */
  enforceRoles: boolean;
  onError: (error: Error) => void;
  /** the working folder (paths in messages are shown relative to it) */
  cwd: string;
  /** the Restate engine's options (`--restate`, `--admin`, …) */
  restate?: {
    ingress?: string;
    admin?: string;
    namespace?: string;
    endpointPort?: number;
    endpointHost?: string;
    endpointUrl?: string;
    /** false with `--no-endpoint`: an API process alone */
    endpoint?: boolean;
  };
}

/**
 * The seam between `serve` and the engines: makes the RunHost the server runs on. `local` is
 * the SQLite host (one file, one process); `restate` is the Restate host, for runs across
 * many processes and machines: this process serves the sopflow endpoint and registers it with
 * Restate's admin API (unless `--no-endpoint`), and publishes the folder's builds there.
 */
export async function makeRunHost(options: RunHostOptions): Promise<{ host: RunHost; where: string }> {
  switch (options.engine) {
    case 'local': {
      // an optional dependency (better-sqlite3 is native): `validate` in CI never needs it
      const { SqliteHost } = await import('@sopflow/host-sqlite').catch((error: Error) => {
        throw new CliError(
          `the local engine needs @sopflow/host-sqlite and its SQLite driver (better-sqlite3), which did not install or load here: ${error.message.split('\n')[0]}. Install it with npm install @sopflow/host-sqlite`,
        );
      });
      const host = new SqliteHost({
        file: options.db,
        sops: options.sops,
        actions: options.actions,
        enforceRoles: options.enforceRoles,
        onError: options.onError,
      });
      return { host, where: `runs in ${path.relative(options.cwd, options.db) || options.db}` };
    }
    case 'restate': {
      // an optional dependency too: only serve --engine restate loads the Restate SDK
      const { openRestateHostForServe } = await import('@sopflow/host-restate').catch((error: Error) => {
        throw new CliError(
          `the restate engine needs @sopflow/host-restate, which did not install or load here: ${error.message.split('\n')[0]}. Install it with npm install @sopflow/host-restate`,
        );
      });
      const r = options.restate ?? {};
      try {
        const host = await openRestateHostForServe({
          restate: r.ingress ?? '',
          sops: options.sops,
          actions: options.actions,
          enforceRoles: options.enforceRoles,
          onError: options.onError,
          ...(r.admin !== undefined ? { admin: r.admin } : {}),
          ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
          ...(r.endpointPort !== undefined ? { endpointPort: r.endpointPort } : {}),
          ...(r.endpointHost !== undefined ? { endpointHost: r.endpointHost } : {}),
          ...(r.endpointUrl !== undefined ? { endpointUrl: r.endpointUrl } : {}),
          ...(r.endpoint === false ? { endpoint: false } : {}),
        });
        return {
          host,
          where: `runs on Restate at ${r.ingress}${r.endpoint === false ? ' (an API process: endpoints run elsewhere)' : ''}`,
        };
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'bad-request' || code === 'unavailable') throw new CliError(error instanceof Error ? error.message : String(error));
        throw error;
      }
    }
    default:
      throw new CliError(`unknown engine "${String(options.engine)}" (local, restate)`);
  }
}
