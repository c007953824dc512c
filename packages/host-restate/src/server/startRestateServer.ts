import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HostError } from '@sopflow/host';
import { waitForIngress, waitForRestate } from '../http/admin.js';

export interface RestateServerOptions {
  /** the node's data; start again on the same directory and the runs are there */
  baseDir: string;
  /** default: a free port each */
  ingressPort?: number;
  adminPort?: number;
  /** node-to-node port */
  nodePort?: number;
  /** the restate-server binary (default: the one inside the `@restatedev/restate-server` npm package) */
  bin?: string;
  /** more environment (RESTATE_* settings) */
  env?: Record<string, string>;
  /** more command-line arguments */
  args?: string[];
  /** how long to wait for the admin API (default 30 s) */
  timeoutMs?: number;
}

export interface RestateServerProcess {
  ingress: string;
  admin: string;
  ports: { ingress: number; admin: number; node: number };
  baseDir: string;
  /** the server's output */
  logFile: string;
  readonly pid: number | undefined;
  /** SIGTERM, and waits for it to exit (SIGKILL after `graceMs`, default 10 s) */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, and waits for it to exit */
  kill(): Promise<void>;
  /** the same node again (same ports, same data), after stop or kill (this handle then stops the
   *  new process) */
  restart(): Promise<RestateServerProcess>;
}

/** Where the npm package `@restatedev/restate-server` keeps the binary for this platform. */
export function restateServerBinary(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('@restatedev/restate-server/package.json');
  } catch {
    throw new HostError(
      'unavailable',
      'restate-server is not installed: add the npm package @restatedev/restate-server (it carries the binary), or pass `bin`',
    );
  }
  const name = `@restatedev/restate-server-${os.platform()}-${os.arch()}/bin/restate-server`;
  try {
    return createRequire(pkg).resolve(name);
  } catch {
    throw new HostError(
      'unavailable',
      `the npm package @restatedev/restate-server has no binary for ${os.platform()}-${os.arch()} (${name})`,
    );
  }
}

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts one restate-server node on loopback for development, tests and benchmarks: its own
 * ports and data directory, its output in `<baseDir>/restate.log`, ready when its admin API
 * answers. Not a production set-up (see docs/scaling.md).
 */
export async function startRestateServer(options: RestateServerOptions): Promise<RestateServerProcess> {
  const bin = options.bin ?? restateServerBinary();
  const ports = {
    ingress: options.ingressPort ?? (await freePort()),
    admin: options.adminPort ?? (await freePort()),
    node: options.nodePort ?? (await freePort()),
  };
  const baseDir = path.resolve(options.baseDir);
  mkdirSync(baseDir, { recursive: true });
  const logFile = path.join(baseDir, 'restate.log');
  const admin = `http://127.0.0.1:${ports.admin}`;
  const ingress = `http://127.0.0.1:${ports.ingress}`;

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const stopWith = async (signal: NodeJS.Signals, graceMs: number) => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    current.kill(signal);
    const timer = setTimeout(() => current.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  const launch = async (): Promise<void> => {
    await stopWith('SIGKILL', 0);
    const log = openSync(logFile, 'a');
    let started: ChildProcess;
    try {
      started = spawn(bin, ['--base-dir', baseDir, '--no-logo', ...(options.args ?? [])], {
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ports.ingress}`,
          RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${ports.admin}`,
          RESTATE_BIND_ADDRESS: `127.0.0.1:${ports.node}`,
          RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${ports.node}/`,
          RESTATE_LISTEN_MODE: 'tcp',
          ...options.env,
        },
      });
    } finally {
      closeSync(log);
    }
    child = started;
    // a server started for a test or a benchmark does not outlive the process that started it
    const orphaned = () => {
      started.kill('SIGKILL');
    };
    process.once('exit', orphaned);
    exited = new Promise<void>((resolve) =>
      started.once('exit', () => {
        process.removeListener('exit', orphaned);
        resolve();
      }),
    );
    let spawnError: Error | undefined;
    started.once('error', (error) => {
      spawnError = error;
    });
    try {
      await Promise.race([
        (async () => {
          await waitForRestate(admin, options.timeoutMs ?? 30_000);
          await waitForIngress(ingress, options.timeoutMs ?? 30_000);
        })(),
        exited.then(() => {
          throw new HostError(
            'unavailable',
            `restate-server exited at start-up${spawnError ? `: ${spawnError.message}` : ''}; see ${logFile}`,
          );
        }),
      ]);
    } catch (error) {
      await stopWith('SIGKILL', 0);
      throw error;
    }
  };

  await launch();
  const handle: RestateServerProcess = {
    ingress,
    admin,
    ports,
    baseDir,
    logFile,
    get pid() {
      return child?.pid;
    },
    stop: (graceMs = 10_000) => stopWith('SIGTERM', graceMs),
    kill: () => stopWith('SIGKILL', 0),
    restart: async () => {
      await launch();
      return handle;
    },
  };
  return handle;
}
