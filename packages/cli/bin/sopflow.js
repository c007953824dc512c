#!/usr/bin/env node
// The only place the CLI touches the process: streams, exit code. Everything else returns data.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The CLI as one esbuild bundle (../bundle/, written by `pnpm run build`: scripts/bundleCli.mjs)
 * starts much faster than ../dist/ (~150 modules). Use it when it is there and none of the files it
 * was built from changed since (a bare `tsc -b` rebuilds dist/ only); otherwise run from dist/.
 * An installed package (under node_modules) is used as published: an install stamps every file
 * with its own time, and the other workspace packages the manifest lists are not beside it.
 */
function bundleIsCurrent() {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../bundle/manifest.json', import.meta.url), 'utf8'));
    if (/[\\/]node_modules[\\/]/.test(fileURLToPath(import.meta.url))) return true;
    const base = new URL('../bundle/', import.meta.url);
    return manifest.inputs.every((input) => statSync(new URL(input, base)).mtimeMs < manifest.builtAt);
  } catch {
    return false;
  }
}

const { runCli } = bundleIsCurrent() ? await import('../bundle/runCli.js') : await import('../dist/runCli.js');

// `sopflow paths x | head -1` closes stdout early: stop quietly, as Unix tools do, never a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  isTTY: Boolean(process.stdout.isTTY),
  // only `serve` asks: other commands keep the default of dying on Ctrl-C
  onStop: (stop) => {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
});
process.exitCode = code;
