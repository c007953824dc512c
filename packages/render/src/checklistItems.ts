import { formatDuration, own, type GraphEdge, type GraphNode, type Sop, type SopGraph, type StepKind } from '@sopflow/model';
import { conditionInWords, fieldLabel } from './conditionInWords.js';
import { stepIndex, type StepIndex } from './stepIndex.js';

/**
 * A piece of a checklist line: SOP text (escaped by each format), a reference to a step,
 * emphasised SOP text (a field's label, a value, an outcome), or another SOP run as a
 * sub-procedure (shown by its title, linked to its document where a format can).
 */
export type Part = string | { step: number } | { unknownStep: string } | { em: string } | { procedure: string; title: string };
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
  /** false for what a person does not do: a bare end, a decision taken from the data alone */
  tickable: boolean;
  /** a decision with only `when` choices: taken from the recorded data, never asked */
  automatic: boolean;
}

/** What the checklist knows of the SOPs that `use:` steps run: their titles. */
export interface ChecklistOptions {
  /** the SOPs sub-procedure steps run, by id (or just their titles) */
  procedures?: Readonly<Record<string, Pick<Sop, 'title'> | undefined>>;
}

/** The SOP-wide parts of a checklist: conduct for every step, and the time goal of a whole run. */
export interface ChecklistHeader {
  rules: string[];
  /** the whole run's `target`, for people (`10 min`) */
  target?: string;
}

export function checklistHeader(graph: SopGraph): ChecklistHeader {
  const header: ChecklistHeader = { rules: graph.rules.filter((r) => r.trim() !== '') };
  if (graph.target) header.target = graph.target.ms !== undefined ? formatDuration(graph.target.ms) : graph.target.after;
  return header;
}

/** Whether a decision is taken from the recorded data alone: it has choices, and every one is a `when`. */
export function isAutomatic(node: GraphNode): boolean {
  const choices = Array.isArray(node.step.choices) ? node.step.choices : [];
  return node.kind === 'decision' && choices.length > 0 && choices.every((c) => c && c.when !== undefined);
}

/**
 * The checklist as data: the steps in reading order, each with the details a person needs
 * (role, segment, hand-off, procedure, fields to record, actions, notes, where each answer,
 * condition, outcome and time limit leads, time targets, how the step ends), conditions in
 * words with the fields' labels. Every format renders this.
 */
export function checklistItems(graph: SopGraph, options: ChecklistOptions = {}): ChecklistItem[] {
  const itemAt = checklistItemMaker(graph, options, stepIndex(graph));
  const items: ChecklistItem[] = [];
  for (let i = 0; i < graph.nodes.length; i++) items.push(itemAt(i));
  return items;
}

/**
 * The checklist entry of the step at each position, one at a time: a render writes each entry
 * as it is made, so the entries of 50,000 steps are never all alive at once (short-lived
 * objects cost the garbage collector next to nothing). `steps`: the step index the caller has.
 */
export function checklistItemMaker(graph: SopGraph, options: ChecklistOptions, steps: StepIndex): (position: number) => ChecklistItem {
  // a step reference by number; `likely`: the position tried first (the step after the edge's own)
  const target = (id: string, likely: number): Part => {
    const position = steps.positionOf(id, likely);
    return position === undefined ? { unknownStep: id } : { step: position + 1 };
  };
  const procedure = (id: string): Part => {
    const title = own(options.procedures ?? {}, id)?.title;
    return { procedure: id, title: typeof title === 'string' && title.trim() !== '' ? title.trim() : id };
  };
  // a field as listed under "Record:", worked out once per field: 50,000 steps list it far more often
  const fieldNames = new Map<string, string>();
  const fieldName = (name: string): string => {
    let shown = fieldNames.get(name);
    if (shown === undefined) fieldNames.set(name, (shown = fieldNameOf(graph, name)));
    return shown;
  };
  return (i) => {
    const node = graph.nodes[i]!;
    const edges = steps.first[i] ? (graph.outgoing[node.id] ?? []) : [];
    const automatic = isAutomatic(node);
    return {
      number: node.index + 1,
      id: node.id,
      kind: node.kind,
      text: textOf(node, procedure),
      details: details(graph, node, edges, target, procedure, fieldName, automatic),
      checks: node.checks,
      tickable: node.kind !== 'end' && !automatic,
      automatic,
    };
  };
}

function textOf(node: GraphNode, procedure: (id: string) => Part): Line {
  if (node.kind === 'end' && node.step.do === undefined) return ['End: ', { em: node.end ?? '' }];
  if (node.kind === 'subprocedure' && node.step.do === undefined && typeof node.use === 'string')
    return ['Follow the procedure ', procedure(node.use)];
  return [node.text || `(step ${node.index + 1})`];
}

/** A field as people read it in a list of fields: its label, with its name when the two differ. */
function fieldNameOf(graph: SopGraph, name: string): string {
  const label = fieldLabel(graph.fields, name);
  return label !== name ? `${label} (${name})` : name;
}

function details(
  graph: SopGraph,
  node: GraphNode,
  edges: GraphEdge[],
  target: (id: string, likely: number) => Part,
  procedure: (id: string) => Part,
  fieldName: (name: string) => string,
  automatic: boolean,
): Line[] {
  const { step } = node;
  const lines: Line[] = [];
  if (automatic) lines.push(['Decided from the recorded data, not asked']);
  if (node.role) lines.push(['Role: ', node.role]);
  if (node.segment) lines.push(['Segment: ', node.segment]);
  if (node.handoff && step.do !== undefined) {
    lines.push([node.handoff.mode === 'transfer' ? 'Transfer to ' : 'Escalate to ', node.handoff.to]);
  }
  if (node.kind === 'subprocedure' && typeof node.use === 'string' && step.do !== undefined) {
    lines.push(['Follow the procedure ', procedure(node.use)]);
  }
  if (node.with) {
    for (const [child, parent] of Object.entries(node.with))
      lines.push(['Passes ', { em: fieldLabel(graph.fields, parent) }, ' in', ...(child !== parent ? [` (as its ${child})`] : [])]);
  }
  if (node.returns) {
    for (const [parent, child] of Object.entries(node.returns))
      lines.push(['Takes ', { em: fieldLabel(graph.fields, parent) }, ' back', ...(child !== parent ? [` (its ${child})`] : [])]);
  }
  if (node.kind === 'wait' && node.until !== undefined) lines.push(['Waits until the signal ', node.until, ' arrives']);
  if (node.record.length > 0) {
    const parts: Part[] = ['Record: '];
    node.record.forEach((name, i) => {
      if (i > 0) parts.push(', ');
      parts.push(fieldName(name));
    });
    lines.push(parts);
  }
  for (const action of node.actions) lines.push(['Action: ', action]);
  if (node.note) lines.push(['Note: ', node.note]);
  if (node.target)
    lines.push(['⏱ Target: done within ', node.target.ms !== undefined ? formatDuration(node.target.ms) : node.target.after]);

  const following = graph.nodes[node.index + 1]?.id;
  const hasOutcomes = hasOutcomeEdge(edges);
  for (const edge of edges) {
    const to = target(edge.to, node.index + 1);
    switch (edge.kind) {
      case 'answer':
        lines.push(edge.label ? ['If “', edge.label, '” → ', to] : ['Otherwise → ', to]);
        break;
      case 'when': {
        const words = edge.when ? conditionInWords(edge.when, graph.fields) : [];
        lines.push(
          edge.label ? ['Automatically, if ', ...words, ' (“', edge.label, '”) → ', to] : ['Automatically, if ', ...words, ' → ', to],
        );
        break;
      }
      case 'outcome':
        lines.push(['If the procedure ends ', { em: edge.label ?? '' }, ' → ', to]);
        break;
      case 'limit': {
        const after = edge.ms !== undefined ? formatDuration(edge.ms) : (edge.label ?? '');
        // a limit back to its own step is a step that recurs until it is done
        lines.push(edge.to === node.id ? ['↻ Again every ', after, ' until it is done'] : ['⏱ After ', after, ' → ', to]);
        break;
      }
      case 'next':
        // a sub-procedure's other outcomes go on to the next step
        if (hasOutcomes) lines.push(['Any other outcome → ', to]);
        else if (!edge.implicit && edge.to !== following) lines.push(['Then → ', to]);
        break;
    }
  }
  if (node.end !== undefined && node.kind !== 'end') lines.push(['Ends the procedure: ', { em: node.end }]);
  return lines;
}

/** Whether a step has an `outcome` edge (a sub-procedure whose outcomes lead somewhere). */
export function hasOutcomeEdge(edges: readonly GraphEdge[]): boolean {
  for (const edge of edges) if (edge.kind === 'outcome') return true;
  return false;
}
