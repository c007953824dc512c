import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toMachineConfig } from '@sopflow/compiler';
import { CliError, EXIT_OK, EXIT_PROBLEMS, type CliIo } from '../io.js';
import { compileOrReport, loadSopWithProcedures } from '../loadProcedures.js';
import { sopArgument } from '../stdinInput.js';

export interface CompileCommandOptions {
  out?: string;
  procedures?: string[];
  stdinFilename?: string;
}

/**
 * `sopflow compile <file> [-o out.json] [-p procedures…]`: writes the XState machine config
 * (plain JSON, procedures included) to stdout or `--out`. Exit 1, with the diagnostics on
 * stderr, when the SOP (or a procedure it runs) has errors.
 */
export async function run(args: unknown[], io: CliIo): Promise<number> {
  const options = (args[1] ?? {}) as CompileCommandOptions;
  const { file, given } = await sopArgument(args[0] as string, options.stdinFilename, io);
  const loaded = await loadSopWithProcedures(file, options.procedures, io, given);
  if (!loaded) return EXIT_PROBLEMS;
  const config = compileOrReport(loaded, io, () => toMachineConfig(loaded.sop, { procedures: loaded.procedures }));
  if (!config) return EXIT_PROBLEMS;
  const json = `${JSON.stringify(config, null, 2)}\n`;
  if (options.out) {
    const out = path.resolve(io.cwd, options.out);
    await writeFile(out, json).catch((e: Error) => {
      throw new CliError(`cannot write ${options.out}: ${e.message}`);
    });
  } else {
    io.stdout(json);
  }
  return EXIT_OK;
}
