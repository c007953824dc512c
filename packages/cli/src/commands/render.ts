import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validateProject } from '@sopflow/core';
import type { Diagnostic, Sop } from '@sopflow/model';
import type { FlowDirection, GroupBy, SvgRenderer } from '@sopflow/render';
import { collectFiles, displayPath } from '../collectFiles.js';
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type CliIo } from '../io.js';
import { besidePath, isRenderFormat, outPath, relativeUrl, type RenderFormat } from '../renderTargets.js';
import { checkStdinFilename, readStdin, wantsStdin, STDIN_ARG } from '../stdinInput.js';

export interface RenderCommandOptions {
  to?: string;
  out?: string;
  beside?: boolean;
  direction?: string;
  groupBy?: string;
  chromium?: string;
  /** --single-file: HTML pages each carry mermaid instead of sharing one copy per folder */
  singleFile?: boolean;
  /** --ignore (repeatable) */
  ignore?: string[];
  /** false with --no-ignore-files */
  ignoreFiles?: boolean;
  stdinFilename?: string;
}

const DIRECTIONS = ['TD', 'TB', 'LR', 'RL', 'BT'];
const GROUPS = ['none', 'role', 'segment'];

interface Job {
  /** absolute path of the SOP file */
  file: string;
  shown: string;
  sop: Sop;
  /** absolute path written, or undefined for stdout */
  dest?: string;
}

/**
 * `sopflow render <paths...> --to mermaid|checklist|markdown|html|svg [-o dir | --beside]`.
 * The SOPs are validated together with the other SOPs in their folders, so `use:` resolves.
 * Files with errors are reported (`file:line:col: message [code]` on stderr) and skipped:
 * exit 1. One file without -o / --beside goes to stdout. Exit 2 for usage and I/O errors,
 * including a missing Chromium for `--to svg`.
 */
export async function run(args: unknown[], io: CliIo): Promise<number> {
  const paths = (args[0] ?? []) as string[];
  const options = (args[1] ?? {}) as RenderCommandOptions;
  const format = options.to ?? 'markdown';
  if (!isRenderFormat(format)) throw new CliError(`unknown render format "${format}" (mermaid, checklist, markdown, html or svg)`);
  const direction = options.direction ?? 'TD';
  if (!DIRECTIONS.includes(direction)) throw new CliError(`--direction takes ${DIRECTIONS.join(', ')}, got "${direction}"`);
  const groupBy = options.groupBy ?? 'none';
  if (!GROUPS.includes(groupBy)) throw new CliError(`--group-by takes ${GROUPS.join(', ')}, got "${groupBy}"`);
  if (options.out !== undefined && options.beside) throw new CliError('use either --out <dir> or --beside, not both');

  checkStdinFilename(paths, options.stdinFilename);
  const fromStdin = wantsStdin(paths);
  const toStdout = options.out === undefined && !options.beside;
  if (fromStdin && !toStdout && options.stdinFilename === undefined) {
    throw new CliError('name the SOP read from stdin with --stdin-filename to write it to a file (--out, --beside)');
  }
  const stdin = fromStdin ? await readStdin(io, options.stdinFilename) : undefined;
  const ignore = { patterns: options.ignore ?? [], useIgnoreFiles: options.ignoreFiles !== false };
  const collected = await collectFiles(
    paths.filter((p) => p !== STDIN_ARG),
    io.cwd,
    { ignore, named: stdin ? [stdin.file] : [] },
  );
  if (collected.errors.length > 0) return usageErrors(collected.errors, io);
  for (const { file, by } of collected.ignored) io.stderr(`sopflow: skipped ${displayPath(file, io.cwd)}: ignored by ${by}\n`);
  if (toStdout && format === 'svg') throw new CliError('--to svg writes files: pass --out <dir> or --beside');
  if (toStdout && collected.files.length > 1) {
    throw new CliError(`${collected.files.length} files to render: pass --out <dir> or --beside to write one file each`);
  }

  // read and validate together, so `use:` references resolve across the files given
  const inputs: { file: string; text: string; abs: string }[] = [];
  const readErrors: string[] = [];
  for (const abs of collected.files) {
    try {
      inputs.push({ abs, file: displayPath(abs, io.cwd), text: abs === stdin?.file ? stdin.text : decodeSource(await readFile(abs)) });
    } catch (error) {
      readErrors.push(`cannot read ${displayPath(abs, io.cwd)}: ${(error as Error).message}`);
    }
  }
  if (readErrors.length > 0) return usageErrors(readErrors, io);
  // the other SOPs in the same folders come along (not rendered) so `use:` resolves as in `validate <folder>`
  const context = await siblingSops(collected.files, io.cwd);
  const { results: all, procedures } = validateProject([...inputs.map(({ file, text }) => ({ file, text })), ...context]);
  const results = all.slice(0, inputs.length);

  let problems = false;
  const jobs: Job[] = [];
  results.forEach((result: { file: string; sop?: Sop | undefined; diagnostics: Diagnostic[] }, i: number) => {
    const input = inputs.find((x) => x.file === result.file) ?? inputs[i]!;
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 || result.sop === undefined) {
      problems = true;
      for (const d of errors) io.stderr(`${diagnosticLine(d, result.file)}\n`);
      io.stderr(`sopflow: skipped ${result.file}: it has errors (run sopflow validate ${result.file})\n`);
      return;
    }
    jobs.push({ file: input.abs, shown: input.file, sop: result.sop });
  });

  if (!toStdout) {
    const dir = options.out !== undefined ? path.resolve(io.cwd, options.out) : undefined;
    const seen = new Map<string, string>();
    for (const input of inputs) seen.set(input.abs, `${input.file} itself`);
    for (const job of jobs) {
      job.dest = dir !== undefined ? outPath(job.file, format, dir) : besidePath(job.file, format);
      const other = seen.get(job.dest);
      if (other !== undefined) {
        throw new CliError(`${job.shown} would be written to ${displayPath(job.dest, io.cwd)}, over ${other}: render into another folder`);
      }
      seen.set(job.dest, job.shown);
    }
    if (dir !== undefined) {
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        throw new CliError(`cannot create folder ${displayPath(dir, io.cwd)}: ${(error as Error).message}`);
      }
    }
  }

  // a sub-procedure shows the title of the SOP it runs (any of those read, rendered or not)
  const titles = Object.create(null) as Record<string, { title: string }>;
  for (const [id, sop] of procedures) if (typeof sop.title === 'string') titles[id] = { title: sop.title };
  if (jobs.length > 0) {
    await renderJobs(
      jobs,
      format,
      {
        direction: direction as FlowDirection,
        groupBy: groupBy as GroupBy,
        chromium: options.chromium,
        procedures: titles,
        singleFile: options.singleFile === true,
      },
      io,
    );
  }
  return problems ? EXIT_PROBLEMS : EXIT_OK;
}

async function renderJobs(
  jobs: Job[],
  format: RenderFormat,
  options: {
    direction: FlowDirection;
    groupBy: GroupBy;
    chromium: string | undefined;
    procedures: Record<string, { title: string }>;
    singleFile: boolean;
  },
  io: CliIo,
): Promise<void> {
  const render = await import('@sopflow/render');
  const diagram = { direction: options.direction, groupBy: options.groupBy, procedures: options.procedures };
  // a written page (HTML, Markdown document) links each sub-procedure to that procedure's page, when it is written too
  const pageOf = new Map<string, string>();
  for (const job of jobs) if (job.dest !== undefined && typeof job.sop.id === 'string') pageOf.set(job.sop.id, job.dest);
  const linksFrom = (from: string | undefined) =>
    from !== undefined
      ? {
          linkProcedures: (id: string) => {
            const to = pageOf.get(id);
            return to !== undefined ? relativeUrl(from, to) : undefined;
          },
        }
      : {};
  // HTML pages written to files share one copy of mermaid per folder (unless --single-file)
  const shared = format === 'html' && !options.singleFile;
  if (shared) {
    for (const folder of new Set(jobs.filter((j) => j.dest !== undefined).map((j) => path.dirname(j.dest!)))) {
      const asset = path.join(folder, render.MERMAID_ASSET);
      try {
        await copyFile(render.mermaidBundlePath(), asset);
      } catch (error) {
        throw new CliError(`cannot write ${displayPath(asset, io.cwd)}: ${(error as Error).message}`);
      }
    }
  }

  let svg: SvgRenderer | undefined;
  if (format === 'svg') {
    try {
      svg = await render.createSvgRenderer({ ...(options.chromium !== undefined ? { chromiumPath: options.chromium } : {}), env: io.env });
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  }
  try {
    for (const job of jobs) {
      let text: string;
      switch (format) {
        case 'mermaid':
          text = render.renderMermaid(job.sop, diagram);
          break;
        case 'checklist':
          text = render.renderChecklist(job.sop, { format: 'markdown', procedures: options.procedures });
          break;
        case 'markdown':
          text = render.renderDocument(job.sop, { ...diagram, ...linksFrom(job.dest) });
          break;
        case 'html':
          text = render.renderHtml(job.sop, {
            ...diagram,
            ...linksFrom(job.dest),
            ...(shared && job.dest !== undefined ? { mermaidSrc: render.MERMAID_ASSET } : {}),
          });
          break;
        case 'svg':
          text = await svg!.render(job.sop, diagram);
          break;
      }
      if (job.dest === undefined) {
        io.stdout(text);
        continue;
      }
      try {
        await writeFile(job.dest, text);
      } catch (error) {
        throw new CliError(`cannot write ${displayPath(job.dest, io.cwd)}: ${(error as Error).message}`);
      }
      io.stdout(`${displayPath(job.dest, io.cwd)}\n`);
    }
  } finally {
    await svg?.close();
  }
}

/** The SOP files next to the given ones (same folders, not given themselves), read as context. */
async function siblingSops(files: readonly string[], cwd: string): Promise<{ file: string; text: string }[]> {
  const given = new Set(files);
  const folders = [...new Set(files.map((f) => path.dirname(f)))].sort();
  const out: { file: string; text: string }[] = [];
  for (const folder of folders) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.filter((n) => SOP_NAME.test(n)).sort()) {
      const abs = path.join(folder, name);
      if (given.has(abs)) continue;
      try {
        out.push({ file: displayPath(abs, cwd), text: decodeSource(await readFile(abs)) });
      } catch {
        /* context only: an unreadable sibling just does not resolve */
      }
    }
  }
  return out;
}

const SOP_NAME = /\.sop\.ya?ml$/i;

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/** UTF-8 bytes to text, BOM dropped, invalid sequences replaced by U+FFFD (as `validate` reads them). */
function decodeSource(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** `file:line:col: message [code]`, the line every editor and CI log can jump to. */
export function diagnosticLine(d: Diagnostic, file: string): string {
  return `${d.file || file}:${d.line}:${d.column}: ${d.message} [${d.code}]`;
}

function usageErrors(messages: readonly string[], io: CliIo): number {
  for (const message of messages) io.stderr(`sopflow: ${message}\n`);
  return EXIT_USAGE;
}
