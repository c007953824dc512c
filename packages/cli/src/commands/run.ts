import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { toMachineConfig } from '@sopflow/compiler';
import { formatDuration, type FieldValue } from '@sopflow/model';
import {
  playMove,
  RunError,
  SimulatedClock,
  startRun,
  summarizeJournal,
  type BoundAction,
  type Run,
  type ScriptMove,
  type StepView,
} from '@sopflow/runtime';
import { CliError, EXIT_OK, EXIT_PROBLEMS, type CliIo } from '../io.js';
import { compileOrReport, loadSopWithProcedures } from '../loadProcedures.js';
import { sopArgument, STDIN_ARG } from '../stdinInput.js';
import { clean, formatJournal, formatRules, formatStep } from '../formatRun.js';
import { readScript } from '../readScript.js';

export interface RunCommandOptions {
  script?: string;
  procedures?: string[];
  stdinFilename?: string;
  json?: boolean;
  /** who walks through it: recorded on every move in the journal */
  by?: string;
}

/**
 * `sopflow run <file>`: walks a person through the SOP in the terminal, step by step (answers,
 * fields, time limits), then prints the journal and the outcome. `--script moves.yaml` replays
 * a walk without prompting, on a simulated clock (waits take no time); `--json` prints
 * `{ sop, status, outcome, journal, summary }` at the end (the walk-through goes to stderr).
 * Exit 0 when the run reached an end, 1 when it did not (or the SOP has errors).
 */
export async function run(args: unknown[], io: CliIo): Promise<number> {
  const options = (args[1] ?? {}) as RunCommandOptions;
  if (args[0] === STDIN_ARG && !options.script) {
    throw new CliError('`run -` reads the SOP from standard input, which leaves none for the answers: pass them with --script <file>');
  }
  const { file, given } = await sopArgument(args[0] as string, options.stdinFilename, io);
  const loaded = await loadSopWithProcedures(file, options.procedures, io, given);
  if (!loaded) return EXIT_PROBLEMS;
  const config = compileOrReport(loaded, io, () => toMachineConfig(loaded.sop, { procedures: loaded.procedures }));
  if (!config) return EXIT_PROBLEMS;
  const say = options.json ? io.stderr : io.stdout;
  // The terminal has no CRM: each named action is shown when it would run.
  const actions: Record<string, BoundAction> = {};
  for (const name of config.meta.sopflow.actions) actions[name] = (c) => say(`   -> action ${clean(name)} (step ${clean(c.step)})\n`);

  const by = options.by;
  let run: Run;
  let ok: boolean;
  if (options.script) {
    const scriptPath = path.resolve(io.cwd, options.script);
    const text = await readFile(scriptPath, 'utf8').catch(() => {
      throw new CliError(`cannot read ${options.script}`);
    });
    const moves = readScript(text, options.script).map((m) =>
      by !== undefined && m.by === undefined && !('wait' in m && m.wait !== undefined) ? { ...m, by } : m,
    );
    const clock = new SimulatedClock();
    clock.set(Date.now());
    run = startRun(config, { clock, actions, ...(by !== undefined ? { by } : {}) });
    ok = playScript(run, moves, clock, say, io);
  } else {
    run = startRun(config, { actions, ...(by !== undefined ? { by } : {}) });
    ok = await interactive(run, say, io, by);
  }
  const status = run.status;
  const view = run.view();
  run.stop();

  if (options.json) {
    io.stdout(
      `${JSON.stringify({ sop: run.sop.id, version: run.sop.version, status, outcome: run.outcome ?? null, journal: run.journal, summary: summarizeJournal(run.journal) }, null, 2)}\n`,
    );
  } else {
    say(formatJournal(run.journal));
    say(status === 'done' ? `Outcome: ${clean(run.outcome ?? '')}\n` : `The run did not reach an end (at step "${clean(view.step)}").\n`);
  }
  return ok && status === 'done' ? EXIT_OK : EXIT_PROBLEMS;
}

function playScript(run: Run, moves: readonly ScriptMove[], clock: SimulatedClock, say: (t: string) => void, io: CliIo): boolean {
  let shown = '';
  let rules = '';
  for (const [i, move] of moves.entries()) {
    if (run.status === 'done') {
      io.stderr(`sopflow: script move ${i + 1}: the run has already ended (${run.outcome})\n`);
      return false;
    }
    const view = run.view();
    const key = `${view.path.map((p) => p.step).join('>')}>${view.step}`;
    if (view.rules.join('\n') !== rules) {
      rules = view.rules.join('\n');
      say(formatRules(view.rules));
    }
    if (key !== shown) {
      say(formatStep(view));
      shown = key;
    }
    say(`   > ${describeMove(move)}\n`);
    try {
      playMove(run, move, clock);
    } catch (error) {
      if (error instanceof RunError) {
        io.stderr(`sopflow: script move ${i + 1}: ${error.message} [${error.code}]\n`);
        return false;
      }
      throw error;
    }
  }
  if (run.status !== 'done') io.stderr(`sopflow: the script ended before the run did (at step "${run.view().step}")\n`);
  return true;
}

function describeMove(m: ScriptMove): string {
  const who = typeof m.by === 'string' ? ` (by ${clean(m.by)})` : m.by ? ` (by ${clean(m.by.id)})` : '';
  if (m.record)
    return `record ${clean(
      Object.entries(m.record)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', '),
    )}${who}`;
  if (m.choose !== undefined) return `choose "${clean(m.choose)}"${who}`;
  if (m.complete) return `done${who}`;
  if (m.signal !== undefined)
    return `signal "${clean(m.signal)}"${
      m.data
        ? ` with ${clean(
            Object.entries(m.data)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(', '),
          )}`
        : ''
    }${who}`;
  if (m.wait !== undefined) return `wait ${typeof m.wait === 'number' ? formatDuration(m.wait) : clean(m.wait)}`;
  return `at ${clean(m.step ?? '')}`;
}

async function interactive(run: Run, say: (t: string) => void, io: CliIo, by: string | undefined): Promise<boolean> {
  const as = by !== undefined ? { by } : {};
  if (!io.stdin) throw new CliError('no input to read answers from (use --script)');
  const rl = createInterface({ input: io.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string | undefined> => {
    say(prompt);
    const r = await lines.next();
    return r.done ? undefined : String(r.value).trim();
  };
  let rules = '';
  try {
    while (run.status === 'active') {
      const view = run.view();
      if (view.rules.join('\n') !== rules) {
        rules = view.rules.join('\n');
        say(formatRules(view.rules));
      }
      say(formatStep(view));
      const moved = () => run.status !== 'active' || run.view().step !== view.step || run.view().path.length !== view.path.length;
      let ended = false;
      for (const field of view.fields) {
        for (;;) {
          const answer = await ask(
            `   ${clean(field.label)}${field.required ? '' : ' (Enter to skip)'}${field.value !== undefined ? ` [${clean(String(field.value))}]` : ''}: `,
          );
          if (answer === undefined) {
            ended = true;
            break;
          }
          if (moved()) break;
          if (answer === '') {
            if (!field.required || field.value !== undefined) break;
            say('   this field is required\n');
            continue;
          }
          try {
            run.record(
              { [field.name]: field.type === 'list' ? readList(answer, field.items?.type ?? 'string') : readValue(answer, field.type) },
              as,
            );
            break;
          } catch (error) {
            if (!(error instanceof RunError)) throw error;
            say(`   ${clean(error.message)}\n`);
          }
        }
        if (ended || moved()) break;
      }
      if (ended) break;
      if (moved()) {
        if (run.status === 'active') say('   (moved on: a time limit passed or the data decided)\n');
        continue;
      }
      if (view.kind === 'decision') {
        if (view.choices.length === 0) {
          say('   this decision is taken from the data: record a value above to go on\n');
          continue;
        }
        const answer = await ask(`   answer (1-${view.choices.length}): `);
        if (answer === undefined) break;
        if (moved()) {
          say('   (moved on: a time limit passed)\n');
          continue;
        }
        const picked = /^\d+$/.test(answer)
          ? view.choices[Number(answer) - 1]
          : view.choices.find((c) => c.toLowerCase() === answer.toLowerCase());
        if (picked === undefined) {
          say(`   pick a number from 1 to ${view.choices.length}\n`);
          continue;
        }
        tryMove(() => run.choose(picked, as), say);
      } else if (view.kind === 'wait') {
        const answer = await ask(`   waiting for "${clean(view.until ?? '')}": press Enter when it happens (the signal arrives): `);
        if (answer === undefined) break;
        if (moved()) {
          say('   (moved on: a time limit passed)\n');
          continue;
        }
        tryMove(() => run.signal(view.until ?? '', undefined, as), say);
      } else {
        const answer = await ask('   press Enter when done: ');
        if (answer === undefined) break;
        if (moved()) {
          say('   (moved on: a time limit passed)\n');
          continue;
        }
        tryMove(() => run.complete(as), say);
      }
    }
  } finally {
    rl.close();
  }
  if (run.status !== 'done') say('\ninput ended before the run did\n');
  return run.status === 'done';
}

function tryMove(move: () => void, say: (t: string) => void): void {
  try {
    move();
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    say(`   ${clean(error.message)}\n`);
  }
}

/** A list typed as comma-separated values, each read as an item of its type (`-` for an empty list). */
function readList(text: string, type: string): FieldValue {
  if (text.trim() === '-') return [];
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => readValue(part, type as StepView['fields'][number]['type']) as string);
}

function readValue(text: string, type: StepView['fields'][number]['type']): FieldValue {
  if (type === 'number' || type === 'integer') {
    const n = Number(text);
    return Number.isNaN(n) ? text : n;
  }
  if (type === 'boolean') {
    if (/^(y|yes|true)$/i.test(text)) return true;
    if (/^(n|no|false)$/i.test(text)) return false;
  }
  return text;
}
