#!/usr/bin/env node
// The browser tests (HTML page and SVG render in packages/render, `sopflow render --to svg` in
// packages/cli, the runtime in a browser in packages/runtime) drive Debian's Chromium through
// playwright-core. A fresh machine has none, so the README's test command first runs this file:
//
//   node scripts/testing/chromium.mjs          (part of `npx -y pnpm@10.34.9 test`)
//
// - Chromium on PATH already: nothing to do.
// - Otherwise, when it can (Linux with apt-get, as root or with password-less sudo), it installs
//   Debian's package: `apt-get install -y chromium`, non-interactive, bounded by timeouts, and
//   `apt-get update` first only when the package is unknown. Never a downloaded browser.
// - When it cannot, it says why in one line and exits 0: vitest's global setup
//   (scripts/testing/browserSetup.ts) then skips the browser tests with one loud line at the end,
//   unless SOPFLOW_REQUIRE_BROWSER=1 (CI: .ci/run), where they run and fail without a browser.
//
// Environment: SOPFLOW_BROWSER_INSTALL=0 never installs; SOPFLOW_REQUIRE_BROWSER=1 always tries
// (even within the six-hour back-off after a failed attempt: .tmp/chromium-install-failed.json).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The executable names searched on PATH, as @sopflow/render's findChromium does. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** What the browser tests are, for the line that says they were skipped. */
export const BROWSER_TESTS =
  'packages/render/test/browser.test.ts (HTML page, SVG), the --to svg tests of packages/cli/test/renderCommand.test.ts, packages/runtime/test/inBrowser.test.ts';

/** How to run them: printed with every skip. */
export const HOW_TO_RUN = "install Debian's chromium (as root: apt-get install -y chromium), then run npx -y pnpm@10.34.9 test again";

/** After a failed install, later test runs wait this long before trying again (no network: no 2-minute stall every run). */
const RETRY_AFTER_MS = 6 * 60 * 60 * 1000;
/** Bounds on each apt-get run (it took 40 s here; the lock wait is bounded by DPkg::Lock::Timeout). */
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const UPDATE_TIMEOUT_MS = 5 * 60_000;

/** Where the install log and the failure marker go (the repository's gitignored .tmp/). */
const STATE_DIR = path.join(ROOT, '.tmp');

function isExecutable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first Chromium on PATH, or undefined. */
export function findChromiumOnPath(env = process.env) {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Whether the browser tests must run (and fail without a browser) instead of being skipped. */
export function browserRequired(env = process.env) {
  return env.SOPFLOW_REQUIRE_BROWSER === '1' || env.SOPFLOW_REQUIRE_BROWSER === 'true';
}

/** How apt-get runs as root here: `{ prefix: [] }` as root, `{ prefix: [sudo, '-n'] }` with password-less sudo, else `{ reason }`. */
function rootPrefix(env, uid) {
  if (process.platform !== 'linux') return { reason: `not Linux (${process.platform})` };
  const find = (name) =>
    (env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((d) => path.join(d, name))
      .find(isExecutable);
  const aptGet = find('apt-get');
  if (!aptGet) return { reason: 'no apt-get (not a Debian-like system)' };
  if (uid === 0) return { prefix: [], aptGet };
  const sudo = find('sudo');
  if (sudo && spawnSync(sudo, ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0) return { prefix: [sudo, '-n'], aptGet };
  return { reason: 'not root and no password-less sudo' };
}

function run(command, args, timeoutMs, env) {
  const started = Date.now();
  const r = spawnSync(command, args, {
    env: { ...env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGTERM',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `$ ${[command, ...args].join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`;
  const timedOut = r.error?.code === 'ETIMEDOUT' || (r.signal === 'SIGTERM' && Date.now() - started >= timeoutMs - 50);
  return { ok: r.status === 0, timedOut, output, seconds: Math.round((Date.now() - started) / 1000) };
}

/**
 * Installs Debian's chromium with apt-get (as root, or through password-less sudo), bounded by
 * timeouts. Returns { chromium } when it is on PATH afterwards, else { reason }.
 */
export function installChromium({
  env = process.env,
  log = (line) => process.stderr.write(`${line}\n`),
  uid = process.getuid?.(),
  stateDir = STATE_DIR,
} = {}) {
  const how = rootPrefix(env, uid);
  const installLog = path.join(stateDir, 'chromium-install.log');
  if (!how.prefix) return { reason: how.reason };
  const aptGet = [...how.prefix, how.aptGet];
  const options = [
    '-y',
    '-q',
    '-o',
    'DPkg::Lock::Timeout=120',
    '-o',
    'Dpkg::Options::=--force-confdef',
    '-o',
    'Dpkg::Options::=--force-confold',
  ];
  log(
    "sopflow tests: no Chromium on PATH; installing Debian's chromium for the browser tests (apt-get install -y chromium: about a minute, at most 25)…",
  );
  let transcript = '';
  let result = run(aptGet[0], [...aptGet.slice(1), 'install', ...options, 'chromium'], INSTALL_TIMEOUT_MS, env);
  transcript += result.output;
  if (!result.ok && !result.timedOut) {
    // a fresh machine's package lists are often empty or stale: update them once, then try again
    const update = run(aptGet[0], [...aptGet.slice(1), 'update', '-q', '-o', 'DPkg::Lock::Timeout=120'], UPDATE_TIMEOUT_MS, env);
    transcript += update.output;
    if (update.ok) {
      result = run(aptGet[0], [...aptGet.slice(1), 'install', ...options, 'chromium'], INSTALL_TIMEOUT_MS, env);
      transcript += result.output;
    } else {
      result = { ...update, ok: false };
    }
  }
  try {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(installLog, transcript);
  } catch {
    /* the log is a courtesy */
  }
  const chromium = findChromiumOnPath(env);
  if (chromium) {
    log(`sopflow tests: installed ${chromium} (${result.seconds} s)`);
    return { chromium };
  }
  const why = result.timedOut ? 'apt-get timed out' : 'apt-get failed';
  return { reason: `${why} (see ${path.relative(process.cwd(), installLog) || installLog})` };
}

/**
 * Chromium on PATH, installing it when it can. Never throws. A failed attempt is remembered for
 * six hours (<stateDir>/chromium-install-failed.json) so that a machine without network does not retry on every run.
 */
export function ensureChromium({
  env = process.env,
  log = (line) => process.stderr.write(`${line}\n`),
  uid = process.getuid?.(),
  stateDir = STATE_DIR,
} = {}) {
  const failedMarker = path.join(stateDir, 'chromium-install-failed.json');
  const found = findChromiumOnPath(env);
  if (found) return { chromium: found };
  if (env.SOPFLOW_BROWSER_INSTALL === '0') return { reason: 'SOPFLOW_BROWSER_INSTALL=0' };
  if (!browserRequired(env)) {
    try {
      const last = JSON.parse(readFileSync(failedMarker, 'utf8'));
      if (Date.now() - last.at < RETRY_AFTER_MS) {
        return {
          reason: `installing it failed ${Math.round((Date.now() - last.at) / 60_000)} min ago (${last.reason}); delete ${path.relative(process.cwd(), failedMarker)} to try again now`,
        };
      }
    } catch {
      /* no earlier failure */
    }
  }
  let result;
  try {
    result = installChromium({ env, log, uid, stateDir });
  } catch (error) {
    result = { reason: `could not run apt-get: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    if (result.chromium) rmSync(failedMarker, { force: true });
    else if (aptGetRan(result)) {
      mkdirSync(stateDir, { recursive: true });
      writeFileSync(failedMarker, JSON.stringify({ at: Date.now(), reason: result.reason }) + '\n');
    }
  } catch {
    /* best effort */
  }
  return result;
}

/** Only real attempts (apt-get ran and failed) start the back-off; "not root" is re-checked every run. */
function aptGetRan(result) {
  return /apt-get (failed|timed out)|could not run apt-get/.test(result.reason ?? '');
}

/** Why the last `ensureChromium` run found none, for vitest's global setup to say (it prints the one "skipped" line). */
const STATUS_FILE = path.join(STATE_DIR, 'chromium-status.json');

export function lastReason() {
  try {
    const status = JSON.parse(readFileSync(STATUS_FILE, 'utf8'));
    if (Date.now() - status.at < 60 * 60 * 1000 && typeof status.reason === 'string') return status.reason;
  } catch {
    /* none recorded */
  }
  return undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = ensureChromium();
  try {
    if (result.chromium) rmSync(STATUS_FILE, { force: true });
    else {
      mkdirSync(path.dirname(STATUS_FILE), { recursive: true });
      writeFileSync(STATUS_FILE, JSON.stringify({ at: Date.now(), reason: result.reason }) + '\n');
    }
  } catch {
    /* best effort: the skip line then gives no reason */
  }
}
