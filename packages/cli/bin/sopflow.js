#!/usr/bin/env node
// The only place the CLI touches process.exit: everything else returns an exit code.
import { runCli } from '../dist/runCli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  isTTY: Boolean(process.stdout.isTTY),
});
process.exitCode = code;
