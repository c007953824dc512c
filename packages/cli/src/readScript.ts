import { parse } from 'yaml';
import { parseMove, RunError, type ScriptMove } from '@sopflow/runtime';
import { CliError } from './io.js';

const KEYS = new Set(['step', 'complete', 'choose', 'record', 'signal', 'data', 'by', 'wait']);
const ACTIONS = ['complete', 'choose', 'record', 'signal', 'wait'];

/**
 * Reads a `sopflow run --script` file: YAML (or JSON), either a list of moves or an object with
 * `moves` (one path of `sopflow paths --json`). A move is `{ step?, complete: true }`,
 * `{ step?, choose: answer }`, `{ step?, record: { field: value } }`, `{ step?, signal: name, data? }` or
 * `{ step?, wait: 60s }` (moves may carry `by`);
 * `step` asserts where the run is. Throws CliError for anything else.
 */
export function readScript(text: string, file: string): ScriptMove[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new CliError(`${file}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list: unknown[] | undefined = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object' && Array.isArray((doc as { moves?: unknown }).moves)
      ? (doc as { moves: unknown[] }).moves
      : undefined;
  if (!list) throw new CliError(`${file}: expected a list of moves (or an object with \`moves\`)`);
  return list.map((entry, i) => {
    const where = `${file}: move ${i + 1}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      throw new CliError(`${where}: expected an object like { choose: "Yes" }`);
    const keys = Object.keys(entry);
    const unknown = keys.find((k) => !KEYS.has(k));
    if (unknown) throw new CliError(`${where}: unknown key "${unknown}" (step, complete, choose, record, signal, data, by, wait)`);
    const acts = keys.filter((k) => ACTIONS.includes(k));
    if (acts.length > 1) throw new CliError(`${where}: one of complete, choose, record, signal, wait per move (got ${acts.join(', ')})`);
    const m = entry as Record<string, unknown>;
    if (m.step !== undefined && typeof m.step !== 'string') throw new CliError(`${where}: step must be a step id`);
    if (m.record !== undefined && (!m.record || typeof m.record !== 'object' || Array.isArray(m.record)))
      throw new CliError(`${where}: record takes { field: value }`);
    if (m.wait !== undefined && typeof m.wait !== 'string' && typeof m.wait !== 'number')
      throw new CliError(`${where}: wait takes ms or a duration like 60s`);
    if (m.choose !== undefined && typeof m.choose !== 'string') m.choose = String(m.choose);
    if (m.wait !== undefined || acts.length === 0) {
      if (m.by !== undefined || m.data !== undefined)
        throw new CliError(`${where}: by and data go with a move, not with ${m.wait !== undefined ? 'a wait' : 'a step check'}`);
      return m as unknown as ScriptMove;
    }
    try {
      return parseMove(m);
    } catch (error) {
      if (error instanceof RunError) throw new CliError(`${where}: ${error.message}`);
      throw error;
    }
  });
}
