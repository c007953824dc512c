import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SopMachineConfig } from '@sopflow/compiler';
import type { HostAction, RunHost } from '@sopflow/host';
import { createSopServer, parseTokens, TokensError, type TokenEntry } from '@sopflow/server';
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type CliIo } from '../io.js';
import { loadActions } from '../serve/loadActions.js';
import { loadFolder } from '../serve/loadFolder.js';
import { ENGINES, makeRunHost, type Engine } from '../serve/makeRunHost.js';

export interface ServeCommandOptions {
  db?: string;
  port?: number;
  host?: string;
  tokens?: string;
  actions?: string;
  engine?: string;
  rateLimit?: number;
  log?: boolean;
  restate?: string;
  admin?: string;
  namespace?: string;
  endpointPort?: number;
  endpointHost?: string;
  endpointUrl?: string;
  /** false with --no-endpoint */
  endpoint?: boolean;
}

/** The database file when `--db` is not given, in the working folder. */
export const DEFAULT_DB = 'sopflow-runs.db';

/**
 * `sopflow serve <folder>`: validates and compiles the folder's SOPs, publishes each as a build,
 * and serves the HTTP API and the agent page on a run host (SQLite by default) until stopped
 * (SIGINT / SIGTERM). Exit 1 when the SOPs have errors or use actions nothing implements; 2 for
 * usage and I/O errors (a bad tokens file, a database another process holds, an address beyond
 * loopback without tokens).
 */
export async function run(args: unknown[], io: CliIo): Promise<number> {
  const folder = args[0] as string;
  const options = (args[1] ?? {}) as ServeCommandOptions;
  const engine = (options.engine ?? 'local') as Engine;
  if (!ENGINES.includes(engine)) throw new CliError(`--engine takes ${ENGINES.join(' or ')}, got "${options.engine}"`);
  const port = options.port ?? 8080;
  const address = options.host ?? '127.0.0.1';

  let tokens: TokenEntry[] = [];
  if (options.tokens !== undefined) {
    const text = await readFile(path.resolve(io.cwd, options.tokens), 'utf8').catch(() => {
      throw new CliError(`--tokens ${options.tokens}: cannot read the file`);
    });
    try {
      tokens = parseTokens(text);
    } catch (error) {
      if (error instanceof TokensError) throw new CliError(`--tokens ${options.tokens}: ${error.message}`);
      throw error;
    }
  }
  const actions = options.actions !== undefined ? await loadActions(options.actions, io.cwd) : {};

  const sops = await loadFolder(folder, io);
  if (!sops) return EXIT_PROBLEMS;
  if (sops.length === 0) throw new CliError(`${folder} holds no SOPs (*.sop.yaml)`);
  const unbound = unboundActions(sops, actions);
  if (unbound.length > 0) {
    io.stderr(
      `sopflow serve: these SOPs use actions that nothing implements, so they would never run:\n${unbound.map((u) => `  ${u.sop}: ${u.actions.join(', ')}`).join('\n')}\n` +
        `Give an actions module: sopflow serve ${folder} --actions actions.mjs, with\n` +
        `  export default {\n${[...new Set(unbound.flatMap((u) => u.actions))].map((a) => `    '${a}': async (call) => { /* call.key, call.data, call.meta */ },`).join('\n')}\n  };\n`,
    );
    return EXIT_PROBLEMS;
  }

  const errors = (error: Error) => io.stderr(`sopflow serve: ${error.message}\n`);
  const db = path.resolve(io.cwd, options.db ?? DEFAULT_DB);
  let host: RunHost;
  let where: string;
  try {
    ({ host, where } = await makeRunHost({
      engine,
      db,
      sops,
      actions,
      enforceRoles: tokens.length > 0,
      onError: errors,
      cwd: io.cwd,
      restate: {
        ...(options.restate !== undefined ? { ingress: options.restate } : {}),
        ...(options.admin !== undefined ? { admin: options.admin } : {}),
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        ...(options.endpointPort !== undefined ? { endpointPort: options.endpointPort } : {}),
        ...(options.endpointHost !== undefined ? { endpointHost: options.endpointHost } : {}),
        ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
        ...(options.endpoint === false ? { endpoint: false } : {}),
      },
    }));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const server = createSopServer({
    host,
    tokens,
    onError: errors,
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    ...(options.log ? { log: (line: string) => io.stdout(`${line}\n`) } : {}),
  });
  let url: string;
  try {
    ({ url } = await server.listen({ port, address }));
  } catch (error) {
    await host.close().catch(() => {});
    io.stderr(`sopflow serve: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
  // asked to stop from now on (before the line that says it listens: a supervisor may act on it at once)
  const stopped = new Promise<void>((resolve) => {
    if (io.onStop) io.onStop(resolve);
  });
  const ids = new Set(sops.map((s) => s.meta.sopflow.id));
  io.stdout(
    `sopflow serve: ${url}/ (${ids.size} SOP${ids.size === 1 ? '' : 's'} from ${folder}; ${engine} engine, ${where}; ${tokens.length ? `${tokens.length} token${tokens.length === 1 ? '' : 's'}` : 'no tokens: loopback only'})\n`,
  );

  await stopped;
  await server.close();
  await host.close();
  io.stdout('sopflow serve: stopped\n');
  return EXIT_OK;
}

/** The actions each SOP (with the procedures it runs) uses that `actions` does not implement. */
function unboundActions(sops: readonly SopMachineConfig[], actions: Record<string, HostAction>): { sop: string; actions: string[] }[] {
  const out: { sop: string; actions: string[] }[] = [];
  for (const config of sops) {
    const missing = config.meta.sopflow.actions.filter(
      (a) => typeof (Object.prototype.hasOwnProperty.call(actions, a) ? actions[a] : undefined) !== 'function',
    );
    if (missing.length) out.push({ sop: config.meta.sopflow.id, actions: missing });
  }
  return out;
}
