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
}

/**
 * The seam between `serve` and the engines: makes the RunHost the server runs on. `local` is
 * the SQLite host (one file, one process); `restate` is the Restate host, for runs across
 * many processes and machines, wired in here once `@sopflow/host-restate` ships.
 */
export async function makeRunHost(options: RunHostOptions): Promise<{ host: RunHost; where: string }> {
  switch (options.engine) {
    case 'local': {
      // an optional dependency (better-sqlite3 is native): `validate` in CI never needs it
      const { SqliteHost } = await import('@sopflow/host-sqlite').catch((error: Error) => {
        throw new CliError(`the local engine needs @sopflow/host-sqlite and its SQLite driver (better-sqlite3), which did not install or load here: ${error.message.split('\n')[0]}. Install it with npm install @sopflow/host-sqlite`);
      });
      const host = new SqliteHost({ file: options.db, sops: options.sops, actions: options.actions, enforceRoles: options.enforceRoles, onError: options.onError });
      return { host, where: `runs in ${path.relative(options.cwd, options.db) || options.db}` };
    }
    case 'restate':
      throw new CliError('--engine restate: the Restate host (@sopflow/host-restate) is not part of this build yet; use --engine local (the default), which keeps runs in one SQLite file');
    default:
      throw new CliError(`unknown engine "${String(options.engine)}" (local, restate)`);
  }
}
