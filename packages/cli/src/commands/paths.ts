import { findPaths, MAX_PATHS } from '@sopflow/runtime';
import { EXIT_OK, EXIT_PROBLEMS, type CliIo } from '../io.js';
import { compileOrReport, loadSopWithProcedures } from '../loadProcedures.js';
import { sopArgument } from '../stdinInput.js';
import { formatPath } from '../formatRun.js';

export interface PathsCommandOptions {
  procedures?: string[];
  stdinFilename?: string;
  json?: boolean;
}

/**
 * `sopflow paths <file> [--json]`: every simple path (no step twice) from the first step to
 * each end, with the answers, the recorded values that decide each `when`, the limits and the
 * sub-procedure outcomes that take it. With --json: `{ sop, paths: [{ outcome, steps,
 * decisions, moves }] }`; each path's `moves` replay with `sopflow run --script`.
 */
export async function run(args: unknown[], io: CliIo): Promise<number> {
  const options = (args[1] ?? {}) as PathsCommandOptions;
  const { file, given } = await sopArgument(args[0] as string, options.stdinFilename, io);
  const loaded = await loadSopWithProcedures(file, options.procedures, io, given);
  if (!loaded) return EXIT_PROBLEMS;
  const paths = compileOrReport(loaded, io, () => findPaths(loaded.sop, { procedures: loaded.procedures }));
  if (!paths) return EXIT_PROBLEMS;
  if (paths.length >= MAX_PATHS) {
    io.stderr(
      `${loaded.display}: note: stopped after ${MAX_PATHS.toLocaleString('en')} paths; the SOP has more (decisions multiply them)\n`,
    );
  }
  if (options.json) {
    io.stdout(`${JSON.stringify({ sop: loaded.sop.id, version: loaded.sop.version, paths }, null, 2)}\n`);
  } else {
    io.stdout(`${loaded.display}: ${paths.length} path${paths.length === 1 ? '' : 's'} from the first step to an end\n`);
    paths.forEach((p, i) => io.stdout(`${formatPath(p, i + 1)}\n`));
  }
  return EXIT_OK;
}
