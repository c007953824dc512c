import type { Condition, FieldDef, Sop, Step } from './sop.js';
import { parseDuration } from './parseDuration.js';
import { readStep, type StepValues } from './readStep.js';

export type StepKind = 'task' | 'decision' | 'subprocedure' | 'handoff' | 'wait' | 'end';

/** The outcome of a step that has neither `next` nor `end` and no step after it. */
export const IMPLICIT_OUTCOME = 'completed';

export interface Handoff {
  mode: 'transfer' | 'escalate';
  /** the department, role or queue handed to */
  to: string;
}

/** One step of the SOP, normalised. `index` is reading order (0-based). */
export interface GraphNode {
  id: string;
  index: number;
  kind: StepKind;
  /** What a person reads: `do`, `ask`, or a sentence made from the hand-off / sub-procedure. */
  text: string;
  /** The outcome the run ends with once this step is done (explicit `end`, or implicit at the end of the list). */
  end?: string;
  /** true when `end` was not written but follows from being the last step. */
  implicitEnd?: boolean;
  handoff?: Handoff;
  /** sub-procedure id */
  use?: string;
  /** sub-procedure: data passed in (`child field -> parent field`) and taken back (`parent field -> child field`) */
  with?: Record<string, string>;
  returns?: Record<string, string>;
  /** waiting step: the signal that completes it */
  until?: string;
  role?: string;
  segment?: string;
  checks: string[];
  record: string[];
  actions: string[];
  note?: string;
  limit?: { after: string; ms: number | undefined; next: string };
  /** a time goal that does not branch (`target`): as written, and in ms when it can be read */
  target?: { after: string; ms: number | undefined };
  /** the original step, as written */
  step: Step;
}

export type EdgeKind = 'next' | 'answer' | 'when' | 'limit' | 'outcome';

/** A way from one step to another. `to` may name no step in a broken SOP (see `unknown-step`). */
export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** `answer`: the answer text; `outcome`: the child outcome; `limit`: the duration as written */
  label?: string;
  when?: Condition;
  /** `next` out of a waiting step: the signal it waits for is in `label` */
  /** `answer` / `when`: the index of the choice in `choices` */
  choice?: number;
  /** `limit`: milliseconds */
  ms?: number;
  /** `next`: true when the edge comes from list order, not an explicit `next` */
  implicit?: boolean;
}

/**
 * The one intermediate graph of an SOP. Built once from the parsed SOP; the rules, the
 * XState config, the Mermaid diagram and the checklist are all pure functions of it.
 */
export interface SopGraph {
  id: string;
  title: string;
  /** id of the first step (empty string for an SOP with no steps) */
  start: string;
  /** steps in reading order */
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** step id -> node (the first, when ids repeat) */
  nodeById: Record<string, GraphNode>;
  /** step id -> edges leaving it, in order: choices, next, outcomes, limit */
  outgoing: Record<string, GraphEdge[]>;
  fields: Record<string, FieldDef>;
  /** every outcome the SOP can end with, in reading order */
  outcomes: string[];
  /** conduct that holds for the whole SOP (`rules`), trailing blanks dropped */
  rules: string[];
  /** a time goal for a whole run (`target`) */
  target?: { after: string; ms: number | undefined };
  sop: Sop;
}

/** The id of step `index`: its `id`, or `step-N` (1-based) when it has none. */
export function stepId(step: Step, index: number): string {
  return typeof step.id === 'string' && step.id !== '' ? step.id : `step-${index + 1}`;
}

export function stepKind(step: Step): StepKind {
  if (step.ask !== undefined || step.choices !== undefined) return 'decision';
  if (step.use !== undefined) return 'subprocedure';
  if (step.transfer !== undefined || step.escalate !== undefined) return 'handoff';
  if (step.wait !== undefined || step.until !== undefined) return 'wait';
  if (step.do !== undefined) return 'task';
  return step.end !== undefined ? 'end' : 'task';
}

/** What a person reads. YAML's folded and literal blocks keep a trailing newline: not shown. */
function stepText(step: Step, kind: StepKind): string {
  return rawText(step, kind).trimEnd();
}

function rawText(step: Step, kind: StepKind): string {
  if (kind === 'decision') return str(step.ask);
  if (kind === 'wait') return step.wait !== undefined ? str(step.wait) : `Wait for ${str(step.until)}`;
  if (step.do !== undefined) return str(step.do);
  if (kind === 'handoff') {
    return step.transfer !== undefined ? `Transfer to ${step.transfer}` : `Escalate to ${step.escalate}`;
  }
  if (kind === 'subprocedure') return `Follow procedure ${step.use}`;
  if (kind === 'end') return `End: ${step.end}`;
  return '';
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** The strings of a list (a lone string as a list of one): always a new array, the node's own. */
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

const isStringMap = (v: unknown): v is Record<string, string> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/*
 * This runs for every step of every file checked, so it is written for the engine: plain loops
 * (no closure per step), each object literal with its fields in one order and the optional ones
 * added afterwards in a fixed order (few hidden classes, the same key order JSON output always
 * had). The two dictionaries by step id (`nodeById`, `outgoing`) are made on first use: a
 * dictionary key must be an internalised string, and making one of every step id was much of
 * the cost of a graph that the rules (which index the graph their own way) never look up by id.
 */

/** step id -> the first node with that id */
function nodesById(nodes: GraphNode[]): Record<string, GraphNode> {
  const byId = Object.create(null) as Record<string, GraphNode>;
  for (const node of nodes) if (byId[node.id] === undefined) byId[node.id] = node;
  return byId;
}

/** step id -> the edges of the first node with that id */
function edgesById(nodes: GraphNode[], edges: GraphEdge[], edgeStart: number[]): Record<string, GraphEdge[]> {
  const byId = Object.create(null) as Record<string, GraphEdge[]>;
  for (let i = 0; i < nodes.length; i++) {
    const id = nodes[i]!.id;
    if (byId[id] === undefined) byId[id] = edges.slice(edgeStart[i], edgeStart[i + 1]);
  }
  return byId;
}

/** What a graph's two dictionaries by step id are made from, and the dictionaries once made. */
interface ById {
  nodes: GraphNode[];
  edges: GraphEdge[];
  edgeStart: number[];
  /** each node's step as readStep read it (see stepValuesOf) */
  values: StepValues[];
  nodeById?: Record<string, GraphNode>;
  outgoing?: Record<string, GraphEdge[]>;
}

const BY_ID = Symbol('sopflow.graph.byId');

type Built = SopGraph & { [BY_ID]: ById };

/*
 * `nodeById` and `outgoing` are accessors that make their dictionary on first read (and take an
 * assignment, as the fields they were). They are the same two functions for every graph, kept
 * here: written as getters in the graph's object literal they were new closures per graph, and
 * V8 holds an object's accessor functions in a pair it allocates in the old generation. That
 * pair, dead or not, kept each graph's closures, and through them its nodes and its SOP, alive
 * across every young-generation collection until a full one (measured: 100 graphs built and
 * dropped left 3.3 MB that a minor collection could not free; with these accessors, none), so
 * every file's graph and SOP were copied and promoted. Building the graphs of the bench's 1,000
 * files: ~100 -> ~81 ms cold, ~60 -> ~40 ms warm.
 */
const BY_ID_ACCESSORS: PropertyDescriptorMap = {
  nodeById: {
    enumerable: true,
    configurable: true,
    get(this: Built) {
      const byId = this[BY_ID];
      return (byId.nodeById ??= nodesById(byId.nodes));
    },
    set(this: Built, value: Record<string, GraphNode>) {
      this[BY_ID].nodeById = value;
    },
  },
  outgoing: {
    enumerable: true,
    configurable: true,
    get(this: Built) {
      const byId = this[BY_ID];
      return (byId.outgoing ??= edgesById(byId.nodes, byId.edges, byId.edgeStart));
    },
    set(this: Built, value: Record<string, GraphEdge[]>) {
      this[BY_ID].outgoing = value;
    },
  },
};

/** An edge with every property, absent ones undefined: one object shape for all edges (see the nodes). */
function edgeOf(
  from: string,
  to: string,
  kind: EdgeKind,
  label?: string,
  when?: Condition,
  choice?: number,
  ms?: number,
  implicit?: boolean,
): GraphEdge {
  return { from, to, kind, label, when, choice, ms, implicit };
}

/** Builds the graph. Tolerates broken references (edges keep their target as written). */
export function buildSopGraph(sop: Sop): SopGraph {
  const steps: unknown[] = Array.isArray(sop.instructions) ? sop.instructions : [];
  const count = steps.length;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const outcomes: string[] = [];
  // the edges of node i are edges[edgeStart[i]] up to edges[edgeStart[i + 1]]
  const edgeStart: number[] = [];
  /** each node's step, as readStep read it */
  const values: StepValues[] = [];

  for (let index = 0; index < count; index++) {
    if (!(index in steps)) continue; // a hole in a sparse list: no step (as `forEach` skips it)
    const raw = steps[index];
    const step: Step = raw && typeof raw === 'object' ? raw : {};
    const v = readStep(step); // one read of the step's keys: see readStep
    const id = stepId(v, index);
    const kind = stepKind(v);
    // Every node has every property, absent ones undefined, set in one order: one object shape for
    // all nodes, so the rules' and renders' reads of a node stay monomorphic (a node that gained
    // `role`, then `limit`… was one of dozens of shapes, and every read of `node.kind` a lookup).
    const node: GraphNode = {
      id,
      index,
      kind,
      text: stepText(v, kind),
      end: undefined,
      implicitEnd: undefined,
      handoff:
        kind === 'handoff'
          ? v.transfer !== undefined
            ? { mode: 'transfer', to: v.transfer }
            : { mode: 'escalate', to: v.escalate ?? '' }
          : undefined,
      use: v.use,
      with: kind === 'subprocedure' && isStringMap(v.with) ? v.with : undefined,
      returns: kind === 'subprocedure' && isStringMap(v.returns) ? v.returns : undefined,
      until: kind === 'wait' && typeof v.until === 'string' ? v.until : undefined,
      role: v.role,
      segment: v.segment,
      checks: strings(v.checks),
      record: strings(v.record),
      actions: strings(v.action),
      note: v.note,
      limit: undefined,
      target: typeof v.target === 'string' ? { after: v.target, ms: parseDuration(v.target) } : undefined,
      step,
    };
    const limit = v.limit;
    if (limit && typeof limit === 'object') node.limit = { after: limit.after, ms: parseDuration(limit.after), next: limit.next };
    nodes.push(node);
    values.push(v);
  }

  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const step = values[i]!;
    const from = node.id;
    edgeStart.push(edges.length);
    if (node.kind === 'decision') {
      const choices: unknown[] = Array.isArray(step.choices) ? step.choices : [];
      for (let choice = 0; choice < choices.length; choice++) {
        const c = choices[choice] as NonNullable<Step['choices']>[number] | undefined;
        if (!c || typeof c !== 'object') continue;
        if (c.when !== undefined) edges.push(edgeOf(from, c.next, 'when', c.answer, c.when, choice));
        else edges.push(edgeOf(from, c.next, 'answer', c.answer ?? '', undefined, choice));
      }
    } else {
      if (node.kind === 'subprocedure' && step.outcomes && typeof step.outcomes === 'object') {
        for (const [outcome, to] of Object.entries(step.outcomes)) edges.push(edgeOf(from, to, 'outcome', outcome));
      }
      if (step.end !== undefined) {
        node.end = step.end;
      } else if (step.next !== undefined) {
        edges.push(edgeOf(from, step.next, 'next', node.until));
      } else if (i + 1 < nodes.length) {
        edges.push(edgeOf(from, nodes[i + 1]!.id, 'next', node.until, undefined, undefined, undefined, true));
      } else {
        node.end = IMPLICIT_OUTCOME;
        node.implicitEnd = true;
      }
    }
    const limit = node.limit;
    if (limit) edges.push(edgeOf(from, limit.next, 'limit', limit.after, undefined, undefined, limit.ms));
    if (node.end !== undefined && !outcomes.includes(node.end)) outcomes.push(node.end);
  }
  edgeStart.push(edges.length);

  const graph = { id: sop.id, title: sop.title, start: nodes[0]?.id ?? '', nodes, edges } as Built;
  Object.defineProperty(graph, BY_ID, { value: { nodes, edges, edgeStart, values } satisfies ById });
  Object.defineProperties(graph, BY_ID_ACCESSORS);
  graph.fields = sop.fields && typeof sop.fields === 'object' ? sop.fields : {};
  graph.outcomes = outcomes;
  graph.rules = Array.isArray(sop.rules) ? sop.rules.filter((r): r is string => typeof r === 'string').map((r) => r.trimEnd()) : [];
  graph.sop = sop;
  if (typeof sop.target === 'string') graph.target = { after: sop.target, ms: parseDuration(sop.target) };
  return graph;
}

/**
 * Each node's step (node `k`: `graph.nodes[k].step`) as `readStep` read it to build the graph:
 * every step key, one object shape. Steps read from YAML come in many shapes, so a pass that
 * reads several keys of every step (the prose walk) reads these instead of the steps, without
 * reading each step again. Undefined for a graph `buildSopGraph` did not make, and for one whose
 * node list was replaced or changed since (the values would no longer be one per node).
 */
export function stepValuesOf(graph: SopGraph): readonly StepValues[] | undefined {
  const byId = (graph as Partial<Built>)[BY_ID];
  return byId !== undefined && byId.nodes === graph.nodes && byId.values.length === graph.nodes.length ? byId.values : undefined;
}
