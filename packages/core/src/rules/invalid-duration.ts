import { MAX_DURATION_MS, parseDurationUnbounded, suggestDuration, type DocPath, type Sop, type SopGraph } from '@sopflow/model';
import { code } from '../shared/show.js';
import { defineRule, replaceWith, stepPath, type Finding } from '../registry/defineRule.js';

/** A zero duration (`0s`, `PT0S`, `0.0 m`): linear, no two adjacent quantifiers over the same characters. */
const ZERO = /^\s*(?:PT?)?[0.]+\s*(?:[a-z]+\s*)?$/i;

interface Duration {
  path: DocPath;
  text: string;
  noun: string;
  /** the step index, or -1 for the SOP's own target */
  step: number;
}

/** Whose a duration is, as a message says it. */
function ownerOf(sop: Sop, index: number): string {
  if (index === -1) return 'the SOP';
  const step = sop.instructions[index]!;
  return `step ${code(typeof step.id === 'string' ? step.id : `step-${index + 1}`)}`;
}

/**
 * Every duration an SOP gives that cannot be read: time limits and time targets, with what each
 * is and whose it is. Read from the graph, which parsed each one already (`ms` undefined: not a
 * duration), in step order.
 */
function unreadableDurations(graph: SopGraph): Duration[] {
  const out: Duration[] = [];
  if (graph.target !== undefined && graph.target.ms === undefined)
    out.push({ path: ['target'], text: graph.target.after, noun: 'time target', step: -1 });
  for (const node of graph.nodes) {
    const limit = node.limit;
    if (limit !== undefined && typeof limit.after === 'string' && limit.ms === undefined)
      out.push({ path: stepPath(node.index, 'limit', 'after'), text: limit.after, noun: 'time limit', step: node.index });
    const target = node.target;
    if (target !== undefined && target.ms === undefined)
      out.push({ path: stepPath(node.index, 'target'), text: target.after, noun: 'time target', step: node.index });
  }
  return out;
}

/** The authority on durations (the schema's pattern is deliberately loose). */
export default defineRule({
  code: 'invalid-duration',
  severity: 'error',
  scope: 'node',
  description: "A duration (a time limit's `after`, a `target`) cannot be read, is zero, or is longer than 3,650 days.",
  check({ sop, graph }) {
    const out: Finding[] = [];
    for (const { path, text, noun, step } of unreadableDurations(graph)) {
      const owner = ownerOf(sop, step);
      const zero = ZERO.test(text);
      const tooLong = (parseDurationUnbounded(text) ?? 0) > MAX_DURATION_MS;
      const exact = zero || tooLong ? [] : suggestDuration(text);
      out.push({
        path,
        message: zero
          ? `the ${noun} ${code(text)} of ${owner} must be longer than zero`
          : tooLong
            ? `the ${noun} ${code(text)} of ${owner} is longer than the longest a duration may be, ${MAX_DURATION_MS / 86_400_000}d (about ten years)`
            : `cannot read the ${noun === 'time limit' ? 'duration' : noun} ${code(text)} of ${owner}`,
        hint: tooLong
          ? 'a longer wait is a review date, not a time limit: shorten it'
          : exact.length > 1
            ? `write \`${exact[0]}\` (seconds) or \`${exact[1]}\` (minutes): a duration needs its unit`
            : exact.length === 1
              ? `write \`${exact[0]}\``
              : 'write e.g. `45s`, `5m`, `2h`, `3d`, `1m30s` or ISO 8601 `PT60S`',
        ...(exact.length > 0 ? { fixes: exact.map((d: string) => replaceWith(path, d)) } : {}),
      });
    }
    return out;
  },
});
