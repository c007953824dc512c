import { formatDuration, own, type FieldDef, type GraphEdge, type GraphNode, type Sop, type SopGraph, type StepKind } from '@sopflow/model';
import { toGraph, type SopOrGraph } from './toGraph.js';
import { collapseWhitespace, mermaidLabel } from './escapeMermaid.js';
import { conditionText } from './conditionInWords.js';
import { checklistHeader, isAutomatic } from './checklistItems.js';

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
  const graph = toGraph(input);
  const direction = DIRECTIONS.includes(options.direction as FlowDirection) ? options.direction! : 'TD';
  const classes = options.classes ?? true;
  const lines: string[] = [`flowchart ${direction}`];
  const indexOf = firstIndexById(graph);
  const nodeDef = (node: GraphNode) => {
    const [open, close] = SHAPE[node.kind];
    return `${mermaidNodeId(node.index)}${open}${mermaidLabel(nodeText(node, options), `(step ${node.index + 1})`)}${close}`;
  };

  // the SOP's rules and time goal, in a note above the flow
  const header = checklistHeader(graph);
  const note = [
    ...(header.rules.length > 0 ? [`Rules at every step: ${header.rules.map((r) => collapseWhitespace(r)).join(' · ')}`] : []),
    ...(header.target !== undefined ? [`Target: a whole run within ${header.target}`] : []),
  ].join(' — ');
  if (graph.nodes.length > 0 && note !== '') lines.push(`  ${RULES_ID}[${mermaidLabel(note)}]`);
  if (graph.nodes.length > 0) lines.push(`  ${START_ID}(("Start"))`);
  const groupKey = (node: GraphNode) => (options.groupBy === 'role' ? node.role : options.groupBy === 'segment' ? node.segment : undefined);
  const groups = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    const key = groupKey(node);
    const name = typeof key === 'string' ? collapseWhitespace(key) : '';
    if (name === '') lines.push(`  ${nodeDef(node)}`);
    else {
      const group = groups.get(name);
      if (group) group.push(node);
      else groups.set(name, [node]);
    }
  }
  [...groups].forEach(([name, nodes], g) => {
    lines.push(`  subgraph g${g} [${mermaidLabel(name)}]`);
    for (const node of nodes) lines.push(`    ${nodeDef(node)}`);
    lines.push('  end');
  });

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
  const endsAt = new Map<number, string>();
  for (const node of graph.nodes) {
    if (node.end !== undefined && node.kind !== 'end') endsAt.set(node.index, terminal(node.end));
  }

  if (graph.nodes.length > 0) lines.push(`  ${START_ID} --> ${mermaidNodeId(0)}`);
  for (const node of graph.nodes) {
    // duplicate ids (an error in a valid SOP) draw their edges once, from the first step
    if (indexOf.get(node.id) !== node.index) continue;
    const from = mermaidNodeId(node.index);
    const edges = graph.outgoing[node.id] ?? [];
    const hasOutcomes = edges.some((e) => e.kind === 'outcome');
    for (const edge of edges) {
      const target = indexOf.get(edge.to);
      if (target === undefined) continue; // an unknown step: reported by validation, not drawn
      // a sub-procedure's other outcomes go on to the next step
      const label = collapseWhitespace(edge.kind === 'next' && hasOutcomes ? 'otherwise' : edgeLabel(edge, graph.fields));
      const arrow = edge.kind === 'limit' ? '-.->' : '-->';
      lines.push(`  ${from} ${arrow}${label ? `|${mermaidLabel(label)}|` : ''} ${mermaidNodeId(target)}`);
    }
  }
  for (const node of graph.nodes) {
    const terminalId = endsAt.get(node.index);
    if (terminalId !== undefined) lines.push(`  ${mermaidNodeId(node.index)} --> ${terminalId}`);
  }

  if (options.linkProcedures) {
    for (const node of graph.nodes) {
      if (node.kind !== 'subprocedure' || typeof node.use !== 'string') continue;
      const url = safeRelativeUrl(options.linkProcedures(node.use));
      if (url !== undefined) lines.push(`  click ${mermaidNodeId(node.index)} href "${url}"`);
    }
  }

  if (classes && graph.nodes.length > 0) {
    const automatic = graph.nodes.filter(isAutomatic).map((n) => mermaidNodeId(n.index));
    const unused = new Set([...(automatic.length === 0 ? ['sopAuto'] : []), ...(note === '' ? ['sopRules'] : [])]);
    for (const [name, style] of CLASS_DEFS) if (!unused.has(name)) lines.push(`  classDef ${name} ${style}`);
    lines.push(`  class ${START_ID} sopStart`);
    if (note !== '') lines.push(`  class ${RULES_ID} sopRules`);
    for (const kind of Object.keys(KIND_CLASS) as StepKind[]) {
      const ids = graph.nodes.filter((n) => n.kind === kind && !isAutomatic(n)).map((n) => mermaidNodeId(n.index));
      if (ids.length > 0) lines.push(`  class ${ids.join(',')} ${KIND_CLASS[kind]}`);
    }
    if (automatic.length > 0) lines.push(`  class ${automatic.join(',')} sopAuto`);
    if (outcomeIds.size > 0) lines.push(`  class ${[...outcomeIds.values()].join(',')} sopOutcome`);
  }
  return `${lines.join('\n')}\n`;
}

/** A node's text: a sub-procedure by the title of the SOP it runs; a step's time target after it; a decision taken from the data marked so. */
function nodeText(node: GraphNode, options: MermaidOptions): string {
  let text = node.text;
  if (node.kind === 'subprocedure' && node.step.do === undefined && typeof node.use === 'string') {
    const title = own(options.procedures ?? {}, node.use)?.title;
    if (typeof title === 'string' && title.trim() !== '') text = `Follow: ${title.trim()}`;
  }
  if (isAutomatic(node)) text = `${text} (decided from the data)`;
  if (node.target) text = `${text} (target ${node.target.ms !== undefined ? formatDuration(node.target.ms) : node.target.after})`;
  return text;
}

function firstIndexById(graph: SopGraph): Map<string, number> {
  const map = new Map<string, number>();
  for (const node of graph.nodes) if (!map.has(node.id)) map.set(node.id, node.index);
  return map;
}
