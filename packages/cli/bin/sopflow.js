#!/usr/bin/env node
'use strict';
// The only place the CLI touches the process: streams, exit code. Everything else returns data.
// CommonJS (bin/package.json): an ES module entry costs Node's module loader some 40 ms of start-up.
const { bundleIsCurrent } = require('./bundleIsCurrent.js');
const { loadValidateBundle } = require('./loadValidateBundle.js');

// `sopflow paths x | head -1` closes stdout early: stop quietly, as Unix tools do, never a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/**
 * `validate` (what CI runs, often on one file) starts from the code-cached CommonJS bundle; the
 * other commands from the ES module bundle; both only while the bundle matches the compiled
 * code (else from dist/).
 */
async function main() {
  const current = bundleIsCurrent();
  const runCli =
    (current && process.argv[2] === 'validate' ? loadValidateBundle() : undefined) ??
    (current ? await import('../bundle/runCli.js') : await import('../dist/runCli.js')).runCli;
  return runCli(process.argv.slice(2), {
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
}

main().then((code) => {
  process.exitCode = code;
});
