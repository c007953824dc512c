import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(CLI, 'bin/sopflow.js');
export const FIXTURES = path.join(CLI, 'test/fixtures/serve');

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** JSON over HTTP to the server */
  call(method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns the built `sopflow serve` and waits until it listens. */
export function startServe(args: string[], env: Record<string, string> = {}, cwd = CLI): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start in 20 s:\n${out}`));
    }, 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /sopflow serve: (http:\/\/[^\s/]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        const url = m[1]!;
        resolve({
          child,
          url,
          output: () => out,
          async call(method, route, body, headers = {}) {
            const res = await fetch(`${url}${route}`, {
              method,
              headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
              ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
            });
            const text = await res.text();
            return { status: res.status, body: text ? JSON.parse(text) : undefined };
          },
          async kill(signal = 'SIGKILL') {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${out}`));
    });
  });
}

/** Runs `sopflow serve` to its end (it must not start). */
export function serveFails(args: string[], cwd = CLI): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
