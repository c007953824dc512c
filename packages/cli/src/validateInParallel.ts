import type * as WorkerThreads from 'node:worker_threads';
import { ruleFor, validateProject, type LoadResult, type ProjectFile } from '@sopflow/core';
import { procedureGraph, usesOf, type Diagnostic } from '@sopflow/model';
import { prescanSop, type Prescan } from './prescanSop.js';
import { requireBuiltin } from './requireBuiltin.js';

export type { ProjectFile };

export interface ChunkRequest {
  inputs: ProjectFile[];
  today: string;
}

/** What comes back from validating one group: the diagnostics, and what the SOP turned out to declare. */
export interface ChunkResult {
  file: string;
  diagnostics: Diagnostic[];
  /** the SOP's id and `use:` targets, when it passed the schema */
  sop?: { id: string; uses: string[] };
}

export type ChunkRunner = (request: ChunkRequest) => Promise<ChunkResult[]>;

export interface ParallelOptions {
  today: string;
  /** how many groups (threads, the main thread included) */
  threads: number;
  /** runs one group; by default the first runs on this thread and the others in worker threads */
  runChunk?: (request: ChunkRequest, index: number) => Promise<ChunkResult[]>;
}

export interface ParallelOutcome {
  /** every diagnostic, grouped by file in input order */
  diagnostics: Diagnostic[];
  /** false when the groups could not be shown to be independent and everything was validated again on one thread */
  parallel: boolean;
}

export function toChunkResult(result: LoadResult): ChunkResult {
  const out: ChunkResult = { file: result.file, diagnostics: result.diagnostics };
  if (result.sop) out.sop = { id: result.sop.id, uses: usesOf(result.sop) };
  return out;
}

/** Validates one group on this thread. */
export const runChunkHere: ChunkRunner = async ({ inputs, today }) => validateProject(inputs, { today }).results.map(toChunkResult);

/** Validates one group in a worker thread (the built `validateWorker.js` next to this module). */
export const runChunkInWorker: ChunkRunner = (request) =>
  new Promise((resolve, reject) => {
    // run from the TypeScript sources (tests), there is no built worker to start (the bundle's
    // validate.cjs starts validateWorker.js beside it, the ES module bundle's worker)
    if (!/\.c?js$/.test(import.meta.url)) throw new Error('worker threads need the built CLI');
    // loaded here, not imported at the top, where it cost every one-file `validate` ~1 ms of start-up;
    // synchronously, so the worker starts before this thread validates its own group
    const { Worker } = requireBuiltin('node:worker_threads') as typeof WorkerThreads;
    const worker = new Worker(new URL('./validateWorker.js', import.meta.url), { workerData: request });
    worker.once('message', (results: ChunkResult[]) => {
      resolve(results);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`validate worker stopped with exit code ${code}`)));
  });

/**
 * Validates files on several threads with the same result as one `validateProject` over all of
 * them. Files are grouped so that no group refers to another (`use:` targets and ids read by
 * `prescanSop`, with the groups balanced by size); the groups run in parallel; then the result is
 * checked: if any cross-file diagnostic appeared, or an SOP declared an id or used a procedure
 * the scan did not see, everything is validated again on this thread. So the output never depends
 * on the thread count.
 */
export async function validateInParallel(inputs: readonly ProjectFile[], options: ParallelOptions): Promise<ParallelOutcome> {
  const scans = inputs.map((input) => prescanSop(input.text));
  const groups = partition(inputs, scans, Math.max(1, options.threads));
  const run = options.runChunk ?? ((request, index) => (index === 0 ? runChunkHere(request) : runChunkInWorker(request)));
  let chunkResults: ChunkResult[][] | undefined;
  if (groups.length > 1) {
    // the first group runs on this thread, after the workers have been started
    const pending = groups
      .map((group, index) => ({ group, index }))
      .reverse()
      .map(({ group, index }) => run({ inputs: group.map((i) => inputs[i]!), today: options.today }, index));
    chunkResults = await Promise.all(pending).then(
      (r) => r.reverse(),
      () => undefined,
    );
  }
  if (chunkResults) {
    const byFile = new Map<number, ChunkResult>();
    groups.forEach((group, g) =>
      group.forEach((inputIndex, k) => {
        const result = chunkResults[g]?.[k];
        if (result) byFile.set(inputIndex, result);
      }),
    );
    if (byFile.size === inputs.length && independent(scans, byFile)) {
      return { diagnostics: inputs.flatMap((_, i) => byFile.get(i)!.diagnostics), parallel: true };
    }
  }
  const results = await runChunkHere({ inputs: [...inputs], today: options.today });
  return { diagnostics: results.flatMap((r) => r.diagnostics), parallel: false };
}

/** True when the groups' results are what one run over all files would give. */
function independent(scans: readonly Prescan[], results: ReadonlyMap<number, ChunkResult>): boolean {
  for (const [i, result] of results) {
    const scan = scans[i]!;
    // a finding of a cross-file rule depends on the other files given
    if (result.diagnostics.some((d) => ruleFor(d.code).scope === 'project')) return false;
    if (result.sop) {
      if (!scan.ids.includes(result.sop.id)) return false;
      if (result.sop.uses.some((use) => !scan.uses.includes(use))) return false;
    } else if (!scan.certain) {
      // it may declare an id we did not see, which another group may repeat
      return false;
    }
  }
  return true;
}

/**
 * Splits file indices into at most `count` groups such that files linked by a shared id or by a
 * `use:` of an id are in the same group (the procedure graph's groups, with one node per file
 * linked to every id it declares or uses); groups are balanced by text size, and keep input order.
 */
export function partition(inputs: readonly ProjectFile[], scans: readonly Prescan[], count: number): number[][] {
  const fileNode = (i: number) => `\u0000file:${i}`;
  const graph = procedureGraph(scans.map((scan, i) => ({ id: fileNode(i), uses: [...scan.ids, ...scan.uses] })));
  const components: { members: number[]; size: number }[] = [];
  for (const group of graph.groups()) {
    const members: number[] = [];
    let size = 0;
    for (const id of group) {
      if (!id.startsWith('\u0000file:')) continue;
      const i = Number(id.slice(6));
      members.push(i);
      size += (inputs[i]?.text.length ?? 0) + 1;
    }
    if (members.length > 0) components.push({ members: members.sort((x, y) => x - y), size });
  }
  const bins = Array.from({ length: Math.min(count, components.length) }, () => ({ members: [] as number[], size: 0 }));
  if (bins.length === 0) return [];
  for (const c of components.sort((a, b) => b.size - a.size || a.members[0]! - b.members[0]!)) {
    const bin = bins.reduce((least, b) => (b.size < least.size ? b : least));
    bin.members.push(...c.members);
    bin.size += c.size;
  }
  return bins.map((b) => b.members.sort((x, y) => x - y)).filter((m) => m.length > 0);
}
