import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { validateProject } from '@sopflow/core';
import { hasErrors } from '@sopflow/model';
import { CompileError, toMachineConfig, type SopMachineConfig } from '@sopflow/compiler';
import { collectFiles, displayPath } from '../collectFiles.js';
import { formatStylish, type FileReport } from '../formatters/index.js';
import { CliError, type CliIo } from '../io.js';

/**
 * The SOPs `serve` runs: every `*.sop.yaml` in the folder, validated together (as `sopflow
 * validate` does) and compiled with the procedures they use. Errors are printed (stylish) and
 * give `undefined`: the server does not start.
 */
export async function loadFolder(folder: string, io: CliIo): Promise<SopMachineConfig[] | undefined> {
  const dir = path.resolve(io.cwd, folder);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`${folder} is not a folder of SOPs`);
  const collected = await collectFiles([dir], io.cwd, { ignore: {} });
  if (collected.errors.length > 0) throw new CliError(collected.errors.join('; '));
  const files = await Promise.all(
    collected.files.map(async (f) => {
      const text = await readFile(f, 'utf8').catch(() => {
        throw new CliError(`cannot read ${displayPath(f, io.cwd)}`);
      });
      return { file: displayPath(f, io.cwd), text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    }),
  );
  const { results, procedures } = validateProject(files);
  const failing = results.filter((r) => !r.sop || hasErrors(r.diagnostics));
  if (failing.length > 0) {
    const reports: FileReport[] = failing.map((r) => ({
      file: r.file,
      text: files.find((f) => f.file === r.file)?.text ?? '',
      diagnostics: r.diagnostics.filter((d) => d.severity === 'error'),
    }));
    io.stderr(formatStylish(reports, { color: false }));
    io.stderr(
      `sopflow serve: ${failing.length} file${failing.length > 1 ? 's have' : ' has'} errors: the server does not start until they are fixed\n`,
    );
    return undefined;
  }
  const all = Object.fromEntries(procedures);
  const configs: SopMachineConfig[] = [];
  for (const r of results) {
    try {
      configs.push(toMachineConfig(r.sop!, { procedures: all }));
    } catch (error) {
      if (!(error instanceof CompileError)) throw error;
      io.stderr(`${r.file}: error ${error.message}\n`);
      return undefined;
    }
  }
  return configs;
}
