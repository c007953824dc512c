import { Command, CommanderError } from 'commander';
import { CliError, EXIT_USAGE, type CliIo } from './io.js';
import { COMMANDS } from './commands/index.js';
import { VERSION } from './version.js';

/**
 * Parses arguments, runs one command, returns the exit code. Never throws and never
 * exits: the bin sets the process exit code. Each command module is loaded only when
 * it runs, so `validate` never loads xstate or mermaid.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('sopflow')
    .description('Validate, compile, run and render standard operating procedures written in YAML.')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // usage errors as every other error: `sopflow: <message>` (commander writes `error: <message>`)
      outputError: (text, write) => write(text.replace(/^error: /, 'sopflow: ')),
    })
    .showHelpAfterError('(run sopflow --help for usage)');

  // a command named first is the only one defined: its parsing, help and errors do not depend on
  // the others, and defining all nine is ~1.5 ms of a one-file `validate` start (bench: cold start)
  const named = COMMANDS.find((spec) => spec.name === argv[0]);
  for (const spec of named ? [named] : COMMANDS) {
    const command = spec.define(program.command(spec.name)).exitOverride();
    command.action(async (...args: unknown[]) => {
      const mod = await spec.load();
      exitCode = await mod.run(args, io);
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are successful exits; everything else is a usage error
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.stderr(`sopflow: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`sopflow: internal error: ${message}\n`);
    return EXIT_USAGE;
  }
}
