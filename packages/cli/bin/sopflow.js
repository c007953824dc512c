#!/usr/bin/env node
// The only place the CLI touches the process: streams, exit code. Everything else returns data.
import { bundleIsCurrent } from './bundleIsCurrent.js';

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
});
process.exitCode = code;
