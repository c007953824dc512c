import { formatDuration, own, type FieldDef, type GraphEdge, type GraphNode, type Sop, type SopGraph, type StepKind } from '@sopflow/model';
import { toGraph, type SopOrGraph } from './toGraph.js';
import { collapseWhitespace, mermaidLabel } from './escapeMermaid.js';
import { conditionText } from './conditionInWords.js';
import { checklistHeader, hasOutcomeEdge, isAutomatic } from './checklistItems.js';
import { stepIndex, type StepIndex } from './stepIndex.js';
import { DocumentLines, type LineSink } from './documentLines.js';

export type FlowDirection = 'TD' | 'TB' | 'LR' | 'RL' | 'BT';
const DIRECTIONS: readonly FlowDirection[] = ['TD', 'TB', 'LR', 'RL', 'BT'];
export type GroupBy = 'none' | 'role' | 'segment';

export interface MermaidOptions {
  /** flowchart direction (default `TD`) */
  direction?: FlowDirection;
  /** draw the steps of each role or segment inside a subgraph (default `none`) */
  groupBy?: GroupBy;
  /**
   * Links each sub-procedure node to that procedure's own diagram. Return a relative URL
   * (letters, digits, `._~/-`, an optional `#fragment`), or `undefined` for no link. Anything
   * else (a scheme such as `javascript:`, `//host`, quotes, spaces) is ignored. Off by default.
   */
  linkProcedures?: (procedureId: string) => string | undefined;
  /** emit `classDef` / `class` lines for styling by step kind (default true) */
  classes?: boolean;
  /** the SOPs sub-procedure steps run, by id (or just their titles): a `use:` node shows the title */
  procedures?: Readonly<Record<string, Pick<Sop, 'title'> | undefined>>;
}

/** Mermaid node id of the step at `index`: never a keyword, never derived from SOP text. */
export const mermaidNodeId = (index: number): string => `s${index}`;
const START_ID = 'sStart';
const RULES_ID = 'sRules';
const outcomeNodeId = (i: number) => `o${i}`;

/** The class each step kind gets, and its shape. Class names avoid mermaid keywords such as `end`. */
export const KIND_CLASS: Record<StepKind, string> = {
  task: 'sopTask',
  decision: 'sopDecision',
  subprocedure: 'sopProcedure',
  handoff: 'sopHandoff',
  wait: 'sopWait',
  end: 'sopEnd',
};
const SHAPE: Record<StepKind, [string, string]> = {
  task: ['[', ']'], // rectangle
  decision: ['{', '}'], // rhombus
  subprocedure: ['[[', ']]'], // subroutine
  handoff: ['{{', '}}'], // hexagon
  wait: ['[/', '/]'], // parallelogram: waits for something outside
  end: ['([', '])'], // stadium
};
const CLASS_DEFS: [string, string][] = [
  ['sopStart', 'fill:#333,stroke:#333,color:#fff'],
  [KIND_CLASS.task, 'fill:#eef4ff,stroke:#3b6fd8,color:#111'],
  [KIND_CLASS.decision, 'fill:#fff6da,stroke:#c79100,color:#111'],
  [KIND_CLASS.subprocedure, 'fill:#eafaf0,stroke:#2e8b57,color:#111'],
  [KIND_CLASS.handoff, 'fill:#f6ecff,stroke:#8a4fd3,color:#111'],
  [KIND_CLASS.wait, 'fill:#fdeeee,stroke:#c0392b,color:#111'],
  [KIND_CLASS.end, 'fill:#f1f1f1,stroke:#555,color:#111'],
  ['sopOutcome', 'fill:#f1f1f1,stroke:#555,color:#111'],
  // a decision taken from the recorded data alone: nobody is asked
  ['sopAuto', 'fill:#fff6da,stroke:#c79100,stroke-dasharray:5 4,color:#111'],
  ['sopRules', 'fill:#fffdf2,stroke:#999,color:#111,text-align:left'],
];

/** Accepts only plain relative URLs: no scheme, no `//host`, nothing that needs quoting. */
export function safeRelativeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.length === 0 || url.length > 500) return undefined;
  if (!/^[A-Za-z0-9._~/-]+(#[A-Za-z0-9._~-]*)?$/.test(url) || url.startsWith('/')) return undefined;
  return url;
}

/**
 * The label an edge carries in the diagram, or '' for none. A choice taken from the data reads
 * `auto: <condition in words>` with the fields' labels; a time limit back to its own step
 * (a step that recurs) `every 60 s`.
 */
export function edgeLabel(edge: GraphEdge, fields: Readonly<Record<string, FieldDef>> = {}): string {
  switch (edge.kind) {
    case 'answer':
    case 'outcome':
      return edge.label ?? '';
    case 'when': {
      const cond = edge.when ? conditionText(edge.when, fields) : '';
      return edge.label ? `${edge.label} (auto: ${cond})` : `auto: ${cond}`;
    }
    case 'limit':
      return `${edge.to === edge.from ? 'every' : 'after'} ${edge.ms !== undefined ? formatDuration(edge.ms) : (edge.label ?? '')}`;
    case 'next':
      return edge.label !== undefined ? `on ${edge.label}` : ''; // out of a waiting step: the signal
    default:
      return '';
  }
}

/**
 * Draws an SOP as a Mermaid flowchart: one node per step (task = rectangle, decision = rhombus,
 * sub-procedure = subroutine, hand-off = hexagon, end = stadium), a start marker, a shared
 * terminal per outcome for steps that end the run, labelled edges, dotted time-limit edges.
 * Every piece of SOP text is escaped (see `escapeMermaidText`): the output always parses.
 */
export function renderMermaid(input: SopOrGraph, options: MermaidOptions = {}): string {
  const lines = new DocumentLines();
  writeMermaid(lines, toGraph(input), options);
  return `${lines.toString()}\n`;
}

/**
 * Appends the flowchart's lines (no newlines) to `lines`: `renderMermaid` joins them, and the
 * Markdown document puts them in its own list, so a diagram of 50,000 steps is joined once.
 */
export function writeMermaid(lines: LineSink, graph: SopGraph, options: MermaidOptions, steps: StepIndex = stepIndex(graph)): void {
  const direction = DIRECTIONS.includes(options.direction as FlowDirection) ? options.direction! : 'TD';
  const classes = options.classes ?? true;
  const nodes = graph.nodes;
  lines.push(`flowchart ${direction}`);
  // each step's Mermaid id and whether it is decided from the data, worked out once: its
  // definition, its edges and the class lines all need them
  const nodeIds: string[] = new Array<string>(nodes.length);
  const automatic: boolean[] = new Array<boolean>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    nodeIds[i] = mermaidNodeId(nodes[i]!.index);
    automatic[i] = isAutomatic(nodes[i]!);
  }
  const nodeDef = (i: number) => {
    const node = nodes[i]!;
    const [open, close] = SHAPE[node.kind];
    return `${nodeIds[i]}${open}${mermaidLabel(nodeText(node, options, automatic[i]!), `(step ${node.index + 1})`)}${close}`;
  };

  // the SOP's rules and time goal, in a note above the flow
  const header = checklistHeader(graph);
  const note = [
    ...(header.rules.length > 0 ? [`Rules at every step: ${header.rules.map((r) => collapseWhitespace(r)).join(' · ')}`] : []),
    ...(header.target !== undefined ? [`Target: a whole run within ${header.target}`] : []),
  ].join(' — ');
  if (nodes.length > 0 && note !== '') lines.push(`  ${RULES_ID}[${mermaidLabel(note)}]`);
  if (nodes.length > 0) lines.push(`  ${START_ID}(("Start"))`);
  const groupBy = options.groupBy;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const key = groupBy === 'role' ? node.role : groupBy === 'segment' ? node.segment : undefined;
    const name = typeof key === 'string' ? collapseWhitespace(key) : '';
    if (name === '') lines.push(`  ${nodeDef(i)}`);
    else {
      const group = groups.get(name);
      if (group) group.push(i);
      else groups.set(name, [i]);
    }
  }
  let g = 0;
  for (const [name, members] of groups) {
    lines.push(`  subgraph g${g++} [${mermaidLabel(name)}]`);
    for (const i of members) lines.push(`    ${nodeDef(i)}`);
    lines.push('  end');
  }

  // one terminal per outcome, for steps that are not themselves end steps
  const outcomeIds = new Map<string, string>();
  const terminal = (outcome: string) => {
    let id = outcomeIds.get(outcome);
    if (id === undefined) {
      id = outcomeNodeId(outcomeIds.size);
      outcomeIds.set(outcome, id);
      lines.push(`  ${id}([${mermaidLabel(outcome, '(end)')}])`);
    }
    return id;
  };
  // the terminal each step ends at, by position (undefined for most)
  const endsAt: (string | undefined)[] = new Array<string | undefined>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.end !== undefined && node.kind !== 'end') endsAt[i] = terminal(node.end);
  }

  if (nodes.length > 0) lines.push(`  ${START_ID} --> ${nodeIds[0]}`);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    // duplicate ids (an error in a valid SOP) draw their edges once, from the first step
    if (!steps.first[i]) continue;
    const from = nodeIds[i]!;
    const edges = graph.outgoing[node.id] ?? [];
    const hasOutcomes = hasOutcomeEdge(edges);
    for (const edge of edges) {
      const target = steps.positionOf(edge.to, i + 1);
      if (target === undefined) continue; // an unknown step: reported by validation, not drawn
      // a sub-procedure's other outcomes go on to the next step
      const text = edge.kind === 'next' && hasOutcomes ? 'otherwise' : edgeLabel(edge, graph.fields);
      const label = text === '' ? '' : collapseWhitespace(text);
      const arrow = edge.kind === 'limit' ? '-.->' : '-->';
      lines.push(`  ${from} ${arrow}${label ? `|${mermaidLabel(label)}|` : ''} ${nodeIds[target]}`);
    }
  }
  for (let i = 0; i < nodes.length; i++) {
    const terminalId = endsAt[i];
    if (terminalId !== undefined) lines.push(`  ${nodeIds[i]} --> ${terminalId}`);
  }

  if (options.linkProcedures) {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.kind !== 'subprocedure' || typeof node.use !== 'string') continue;
      const url = safeRelativeUrl(options.linkProcedures(node.use));
      if (url !== undefined) lines.push(`  click ${nodeIds[i]} href "${url}"`);
    }
  }

  if (classes && nodes.length > 0) {
    // the steps of each class, in one pass over the steps (in `KIND_CLASS` order when written)
    const byKind: Record<StepKind, string[]> = { task: [], decision: [], subprocedure: [], handoff: [], wait: [], end: [] };
    const automaticIds: string[] = [];
    for (let i = 0; i < nodes.length; i++) {
      if (automatic[i]) automaticIds.push(nodeIds[i]!);
      else byKind[nodes[i]!.kind]?.push(nodeIds[i]!);
    }
    for (const [name, style] of CLASS_DEFS) {
      if ((name === 'sopAuto' && automaticIds.length === 0) || (name === 'sopRules' && note === '')) continue;
      lines.push(`  classDef ${name} ${style}`);
    }
    lines.push(`  class ${START_ID} sopStart`);
    if (note !== '') lines.push(`  class ${RULES_ID} sopRules`);
    for (const kind of Object.keys(KIND_CLASS) as StepKind[]) {
      const ids = byKind[kind];
      if (ids.length > 0) lines.push(`  class ${ids.join(',')} ${KIND_CLASS[kind]}`);
    }
    if (automaticIds.length > 0) lines.push(`  class ${automaticIds.join(',')} sopAuto`);
    if (outcomeIds.size > 0) lines.push(`  class ${[...outcomeIds.values()].join(',')} sopOutcome`);
  }
}

/** A node's text: a sub-procedure by the title of the SOP it runs; a step's time target after it; a decision taken from the data marked so. */
function nodeText(node: GraphNode, options: MermaidOptions, automatic: boolean): string {
  let text = node.text;
  if (node.kind === 'subprocedure' && node.step.do === undefined && typeof node.use === 'string') {
    const title = own(options.procedures ?? {}, node.use)?.title;
    if (typeof title === 'string' && title.trim() !== '') text = `Follow: ${title.trim()}`;
  }
  if (automatic) text = `${text} (decided from the data)`;
  if (node.target) text = `${text} (target ${node.target.ms !== undefined ? formatDuration(node.target.ms) : node.target.after})`;
  return text;
}
