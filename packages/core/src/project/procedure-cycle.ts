import type { Sop } from '@sopflow/model';
import type { LoadedFile } from '../loadSop.js';
import type { FileDiagnostic } from './FileDiagnostic.js';
import { code } from '../shared/show.js';

/**
 * A procedure must not run itself, directly (`use:` its own id) or through others (a uses b,
 * b uses a): the run would nest forever. Strongly connected components of the `use:` graph
 * (Tarjan, linear); every `use:` step whose SOP and target share a component is reported, with
 * the loop written out.
 */
export function procedureCycle(files: readonly LoadedFile[], procedures: ReadonlyMap<string, Sop>): FileDiagnostic[] {
  const uses = new Map<string, string[]>();
  for (const [id, sop] of procedures) {
    const targets: string[] = [];
    for (const step of sop.instructions) if (typeof step.use === 'string' && procedures.has(step.use)) targets.push(step.use);
    uses.set(id, targets);
  }
  const component = stronglyConnected(uses);
  const sizes = new Map<number, number>();
  for (const c of component.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1);

  const out: FileDiagnostic[] = [];
  for (const file of files) {
    const sop = file.sop;
    if (!sop || procedures.get(sop.id) !== sop) continue;
    sop.instructions.forEach((step, index) => {
      const target = step.use;
      if (typeof target !== 'string' || !procedures.has(target)) return;
      if (target !== sop.id && component.get(target) !== component.get(sop.id)) return;
      const size = sizes.get(component.get(sop.id)!) ?? 1;
      // the loop written out, while it is short enough to read (and cheap: one search per step)
      const loop = size <= MAX_SHOWN
        ? [sop.id, ...pathBetween(uses, target, sop.id, component)]
        : [sop.id, target, `… ${size - 2} more …`, sop.id];
      out.push({ owner: file, diagnostic: file.located.diagnostic({
        code: 'procedure-cycle', severity: 'error', path: ['instructions', index, 'use'],
        message: `step uses the SOP ${code(target)}, which leads back to this one (${loop.join(' -> ')}): a procedure cannot run itself`,
        hint: 'break the loop: end the inner procedure with an outcome and let this SOP decide what comes next',
      }) });
    });
  }
  return out;
}

/** Loops of more procedures than this are summarised, not written out. */
const MAX_SHOWN = 12;

/** id -> component number (Tarjan's algorithm, iterative so a long chain cannot overflow the stack). */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let next = 0;
  let components = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { id: string; edge: number }[] = [{ id: root, edge: 0 }];
    index.set(root, next); low.set(root, next); next++; stack.push(root); onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.id) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!index.has(to)) {
          index.set(to, next); low.set(to, next); next++; stack.push(to); onStack.add(to);
          work.push({ id: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        for (;;) {
          const id = stack.pop()!;
          onStack.delete(id);
          component.set(id, components);
          if (id === frame.id) break;
        }
        components++;
      }
    }
  }
  return component;
}

/** The ids from `from` to `to` along `use:` edges inside one component (breadth first). */
function pathBetween(graph: ReadonlyMap<string, readonly string[]>, from: string, to: string, component: ReadonlyMap<string, number>): string[] {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const id = queue.shift()!;
    if (id === to) break;
    for (const n of graph.get(id) ?? []) {
      if (previous.has(n) || component.get(n) !== component.get(from)) continue;
      previous.set(n, id);
      queue.push(n);
    }
  }
  const path: string[] = [];
  for (let id: string | null | undefined = to; id != null; id = previous.get(id)) path.unshift(id);
  return path[0] === from ? path : [from, to];
}
