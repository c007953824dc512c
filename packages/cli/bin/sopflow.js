#!/usr/bin/env node
'use strict';
// The only place the CLI touches the process: streams, exit code. Everything else returns data.
// CommonJS (bin/package.json): an ES module entry costs Node's module loader some 40 ms of start-up.
const { fstatSync, statSync, writeSync } = require('node:fs');
const { bundleIsCurrent } = require('./bundleIsCurrent.js');
const { loadValidateBundle } = require('./loadValidateBundle.js');

// `sopflow paths x | head -1` closes stdout early: stop quietly, as Unix tools do, never a stack trace.
const stopOnClosedPipe = (error) => {
  if (error && error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
};

/**
 * Writes to process.stdout / process.stderr, set up at once: the commands other than `validate`
 * (serve, lsp, run) keep Node's streams, and set up before their packages load (with stdout first
 * touched later, importing @sopflow/host-restate failed to resolve one of its own dependencies).
 */
function streamWriter(name) {
  const stream = process[name];
  stream.on('error', stopOnClosedPipe);
  return (text) => stream.write(text);
}

/**
 * isatty, asked of Node's tty module only for a character device other than /dev/null: loading it
 * costs a start ~2 ms, and pipes, files and /dev/null (CI, scripts, benchmarks) are the common case.
 */
function isTerminal(fd) {
  try {
    const info = fstatSync(fd);
    if (!info.isCharacterDevice()) return false;
    if (process.platform !== 'win32') {
      const devNull = statSync('/dev/null');
      if (info.dev === devNull.dev && info.ino === devNull.ino) return false;
    }
    return require('node:tty').isatty(fd);
  } catch {
    return false;
  }
}

/**
 * Writes straight to a file descriptor, synchronously, for `validate`: process.stdout would load
 * Node's stream modules first (~4 ms of a start of about 110 ms), and validate prints once, at
 * the end. A pipe another process left non-blocking may refuse a write for a moment (EAGAIN): wait
 * a millisecond and go on, as a blocking write would.
 */
function descriptorWriter(fd) {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  return (text) => {
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(fd, bytes, offset);
      } catch (error) {
        if (error && error.code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
        else stopOnClosedPipe(error);
      }
    }
  };
}

/**
 * `validate` (what CI runs, often on one file) starts from the code-cached CommonJS bundle; the
 * other commands from the ES module bundle; both only while the bundle matches the compiled
 * code (else from dist/).
 */
async function main() {
  const current = bundleIsCurrent();
  const validate = process.argv[2] === 'validate';
  const stdout = validate ? descriptorWriter(1) : streamWriter('stdout');
  const stderr = validate ? descriptorWriter(2) : streamWriter('stderr');
  const bundle = current && validate ? loadValidateBundle() : undefined;
  const runCli = bundle?.runCli ?? (current ? await import('../bundle/runCli.js') : await import('../dist/runCli.js')).runCli;
  return runCli(process.argv.slice(2), {
    stdout,
    stderr,
    cwd: process.cwd(),
    env: process.env,
    // a getter: `process.stdin` sets up a stream (~3 ms of start-up) that only `-`, `run` and `lsp` read
    get stdin() {
      return process.stdin;
    },
    isTTY: validate ? isTerminal(1) : Boolean(process.stdout.isTTY),
    // only `validate` of many files from the code-cached bundle: tunes V8's compiler for a long run
    beforeManyFiles: bundle?.beforeManyFiles,
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
