import { describeCondition, formatDuration, own, type GraphEdge, type GraphNode, type SopGraph, type StepKind } from '@sopflow/model';

/** A piece of a checklist line: SOP text (escaped by each format), or a reference to a step. */
export type Part = string | { step: number } | { unknownStep: string };
export type Line = Part[];

/** One numbered checklist entry: a step, in reading order. */
export interface ChecklistItem {
  /** 1-based step number */
  number: number;
  id: string;
  kind: StepKind;
  text: Line;
  /** detail lines, in the order a person needs them */
  details: Line[];
  /** sub-checks: nested task items */
  checks: string[];
}

/**
 * The checklist as data: the steps in reading order, each with the details a person needs
 * (role, segment, hand-off, procedure, fields to record, actions, notes, where each answer,
 * condition, outcome and time limit leads, how the step ends). Every format renders this.
 */
export function checklistItems(graph: SopGraph): ChecklistItem[] {
  const numberOf = new Map<string, number>();
  for (const node of graph.nodes) if (!numberOf.has(node.id)) numberOf.set(node.id, node.index + 1);
  const target = (id: string): Part => {
    const n = numberOf.get(id);
    return n === undefined ? { unknownStep: id } : { step: n };
  };
  return graph.nodes.map((node) => {
    const own = numberOf.get(node.id) === node.index + 1;
    const edges = own ? graph.outgoing[node.id] ?? [] : [];
    return {
      number: node.index + 1,
      id: node.id,
      kind: node.kind,
      text: [node.text || `(step ${node.index + 1})`],
      details: details(graph, node, edges, target),
      checks: node.checks,
    };
  });
}

/** A field as people read it: its label, with its name when the two differ. */
function fieldName(graph: SopGraph, name: string): string {
  const label = own(graph.fields, name)?.label;
  return typeof label === 'string' && label !== '' && label !== name ? `${label} (${name})` : name;
}

function details(graph: SopGraph, node: GraphNode, edges: GraphEdge[], target: (id: string) => Part): Line[] {
  const { step } = node;
  const lines: Line[] = [];
  if (node.role) lines.push(['Role: ', node.role]);
  if (node.segment) lines.push(['Segment: ', node.segment]);
  if (node.handoff && step.do !== undefined) {
    lines.push([node.handoff.mode === 'transfer' ? 'Transfer to ' : 'Escalate to ', node.handoff.to]);
  }
  if (node.kind === 'subprocedure' && node.use !== undefined && step.do !== undefined) {
    lines.push(['Follow procedure ', node.use]);
  }
  if (node.with) for (const [child, parent] of Object.entries(node.with)) lines.push(['Passes ', fieldName(graph, parent), ' in as ', child]);
  if (node.returns) for (const [parent, child] of Object.entries(node.returns)) lines.push(['Takes ', child, ' back as ', fieldName(graph, parent)]);
  if (node.kind === 'wait' && node.until !== undefined) lines.push(['Waits until the signal ', node.until, ' arrives']);
  if (node.record.length > 0) {
    const parts: Part[] = ['Record: '];
    node.record.forEach((name, i) => {
      if (i > 0) parts.push(', ');
      parts.push(fieldName(graph, name));
    });
    lines.push(parts);
  }
  for (const action of node.actions) lines.push(['Action: ', action]);
  if (node.note) lines.push(['Note: ', node.note]);

  const following = graph.nodes[node.index + 1]?.id;
  for (const edge of edges) {
    const to = target(edge.to);
    switch (edge.kind) {
      case 'answer':
        lines.push(edge.label ? ['If ', edge.label, ' → ', to] : ['Otherwise → ', to]);
        break;
      case 'when': {
        const cond = edge.when ? describeCondition(edge.when) : '';
        lines.push(edge.label ? ['When ', cond, ' (', edge.label, ') → ', to] : ['When ', cond, ' → ', to]);
        break;
      }
      case 'outcome':
        lines.push(['If the procedure ends ', edge.label ?? '', ' → ', to]);
        break;
      case 'limit':
        lines.push(['⏱ After ', edge.ms !== undefined ? formatDuration(edge.ms) : edge.label ?? '', ' → ', to]);
        break;
      case 'next':
        // a sub-procedure's other outcomes go on to the next step
        if (edges.some((e) => e.kind === 'outcome')) lines.push(['Any other outcome → ', to]);
        else if (!edge.implicit && edge.to !== following) lines.push(['Then → ', to]);
        break;
    }
  }
  if (node.end !== undefined && node.kind !== 'end') lines.push(['Ends the procedure: ', node.end]);
  return lines;
}
