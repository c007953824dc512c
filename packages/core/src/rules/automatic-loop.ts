import { evaluateCondition, own, type Condition, type FieldDef, type FieldValue, type SopGraph } from '@sopflow/model';
import { code } from '../shared/show.js';
import { indexGraph } from '../shared/indexGraph.js';
import { defineRule, stepPath, type Finding } from '../registry/defineRule.js';

/**
 * Decisions taken from data that lead to each other: a run entering one goes round for ever
 * once the data makes every condition on the way hold (nothing records data in between), and
 * the runtime refuses such a move (`endless-loop`). Reported once per loop, at its first
 * decision in reading order; a loop whose conditions cannot all hold at once is no loop.
 */
export default defineRule({
  code: 'automatic-loop',
  severity: 'error',
  scope: 'flow',
  description: 'Decisions taken from recorded data (`when` choices) lead to each other in a loop that no person or time limit can leave.',
  check({ graph }) {
    const out: Finding[] = [];
    const { indexOf } = indexGraph(graph);
    for (const cycle of whenCycles(graph)) {
      if (
        !satisfiable(
          cycle.map((c) => c.when),
          graph.fields,
        )
      )
        continue;
      // the index of the first node with an id is that node's `index`
      const first = cycle.reduce((a, b) => (indexOf.get(a.from)! <= indexOf.get(b.from)! ? a : b));
      const start = cycle.indexOf(first);
      const ordered = [...cycle.slice(start), ...cycle.slice(0, start)];
      const node = graph.nodes[indexOf.get(first.from)!]!;
      out.push({
        path: stepPath(node.index, 'choices', first.choice, 'when'),
        message: `the decisions ${[...ordered.map((c) => code(c.from)), code(first.from)].join(' → ')} are taken from recorded data and lead back to each other: when ${ordered.map((c) => describe(c.when)).join(' and ')}, the run goes round for ever`,
        hint: 'point one of these `when` choices somewhere else, or let a person answer one of the decisions',
      });
    }
    return out;
  },
});

interface WhenEdge {
  from: string;
  to: string;
  choice: number;
  when: Condition;
}

/** Each elementary cycle made only of `when` edges, found once (iterative, bounded). */
function whenCycles(graph: SopGraph): WhenEdge[][] {
  const { indexOf } = indexGraph(graph);
  const out = new Map<string, WhenEdge[]>();
  const edges = new Map<string, WhenEdge[]>();
  for (const e of graph.edges) {
    if (e.kind !== 'when' || !e.when || e.choice === undefined || !indexOf.has(e.to)) continue;
    const list = edges.get(e.from) ?? [];
    list.push({ from: e.from, to: e.to, choice: e.choice, when: e.when });
    edges.set(e.from, list);
  }
  let budget = 10_000;
  for (const start of edges.keys()) {
    // depth-first from `start`, over nodes that come after it (each cycle is found from its least node)
    const startIndex = indexOf.get(start)!;
    const stack: { at: string; next: number; via?: WhenEdge }[] = [{ at: start, next: 0 }];
    const onPath = new Set([start]);
    while (stack.length && budget-- > 0) {
      const top = stack[stack.length - 1]!;
      const list = edges.get(top.at) ?? [];
      if (top.next >= list.length) {
        stack.pop();
        onPath.delete(top.at);
        continue;
      }
      const e = list[top.next++]!;
      if (e.to === start) {
        const cycle = [...stack.slice(1).map((f) => f.via!), e];
        const key = cycle.map((c) => `${c.from}#${c.choice}`).join(' ');
        if (!out.has(key)) out.set(key, cycle);
        continue;
      }
      if (onPath.has(e.to) || indexOf.get(e.to)! < startIndex) continue;
      onPath.add(e.to);
      stack.push({ at: e.to, next: 0, via: e });
    }
  }
  return [...out.values()];
}

/** Whether some data makes every condition hold at once (data does not change on the way). */
function satisfiable(conditions: Condition[], fields: Record<string, FieldDef>): boolean {
  const byField = new Map<string, Condition[]>();
  for (const c of conditions) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
  for (const [name, list] of byField) {
    const candidates = valuesWorthTrying(own(fields, name), list);
    const holds = (data: Record<string, FieldValue>) => list.every((c) => evaluateCondition(c, data));
    if (!holds({}) && !candidates.some((v) => holds({ [name]: v }))) return false;
  }
  return true;
}

function valuesWorthTrying(field: FieldDef | undefined, conditions: Condition[]): FieldValue[] {
  if (field?.type === 'list') {
    const items = [...(field.items?.enum ?? []), ...conditions.map((c) => c.contains).filter((v) => v !== undefined)];
    return [[], ...items.map((v) => [v]), items];
  }
  const values: FieldValue[] = [...(field?.enum ?? []), true, false, '', 0];
  for (const c of conditions) {
    for (const v of [c.equals, c.not_equals, ...(c.in ?? [])]) if (v !== undefined) values.push(v);
    for (const n of [c.gt, c.gte, c.lt, c.lte]) if (typeof n === 'number') values.push(n - 1, n, n + 1, n - 0.5, n + 0.5);
    if (typeof c.not_equals === 'string') values.push(`${c.not_equals}~`);
  }
  return values;
}

function describe(c: Condition): string {
  const v = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
  if (c.set !== undefined) return `${c.field} is ${c.set ? '' : 'not '}recorded`;
  if ('equals' in c) return `${c.field} = ${v(c.equals)}`;
  if ('not_equals' in c) return `${c.field} ≠ ${v(c.not_equals)}`;
  if (c.in) return `${c.field} is one of ${c.in.map(v).join(', ')}`;
  if ('contains' in c) return `${c.field} contains ${v(c.contains)}`;
  const [op, n] = c.gt !== undefined ? ['>', c.gt] : c.gte !== undefined ? ['≥', c.gte] : c.lt !== undefined ? ['<', c.lt] : ['≤', c.lte];
  return `${c.field} ${op} ${n}`;
}
