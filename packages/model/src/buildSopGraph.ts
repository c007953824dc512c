import type { Condition, FieldDef, Sop, Step } from './sop.js';
import { parseDuration } from './parseDuration.js';

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

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

const isStringMap = (v: unknown): v is Record<string, string> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** Builds the graph. Tolerates broken references (edges keep their target as written). */
export function buildSopGraph(sop: Sop): SopGraph {
  const steps = Array.isArray(sop.instructions) ? sop.instructions : [];
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const nodeById = Object.create(null) as Record<string, GraphNode>;
  const outgoing = Object.create(null) as Record<string, GraphEdge[]>;
  const outcomes: string[] = [];

  steps.forEach((raw, index) => {
    const step: Step = raw && typeof raw === 'object' ? raw : {};
    const id = stepId(step, index);
    const kind = stepKind(step);
    const node: GraphNode = {
      id,
      index,
      kind,
      text: stepText(step, kind),
      checks: strings(step.checks),
      record: strings(step.record),
      actions: strings(step.action),
      step,
    };
    if (step.role !== undefined) node.role = step.role;
    if (step.segment !== undefined) node.segment = step.segment;
    if (step.note !== undefined) node.note = step.note;
    if (step.use !== undefined) node.use = step.use;
    if (kind === 'subprocedure' && isStringMap(step.with)) node.with = step.with;
    if (kind === 'subprocedure' && isStringMap(step.returns)) node.returns = step.returns;
    if (kind === 'wait' && typeof step.until === 'string') node.until = step.until;
    if (kind === 'handoff') {
      node.handoff = step.transfer !== undefined ? { mode: 'transfer', to: step.transfer } : { mode: 'escalate', to: step.escalate ?? '' };
    }
    if (step.limit && typeof step.limit === 'object') {
      node.limit = { after: step.limit.after, ms: parseDuration(step.limit.after), next: step.limit.next };
    }
    if (typeof step.target === 'string') node.target = { after: step.target, ms: parseDuration(step.target) };
    nodes.push(node);
    if (!(id in nodeById)) nodeById[id] = node;
  });

  nodes.forEach((node, i) => {
    const { step } = node;
    const out: GraphEdge[] = [];
    const following = nodes[i + 1]?.id;
    if (node.kind === 'decision') {
      (Array.isArray(step.choices) ? step.choices : []).forEach((c, choice) => {
        if (!c || typeof c !== 'object') return;
        if (c.when !== undefined)
          out.push({
            from: node.id,
            to: c.next,
            kind: 'when',
            when: c.when,
            choice,
            ...(c.answer !== undefined ? { label: c.answer } : {}),
          });
        else out.push({ from: node.id, to: c.next, kind: 'answer', label: c.answer ?? '', choice });
      });
    } else {
      if (node.kind === 'subprocedure' && step.outcomes && typeof step.outcomes === 'object') {
        for (const [outcome, to] of Object.entries(step.outcomes)) out.push({ from: node.id, to, kind: 'outcome', label: outcome });
      }
      if (step.end !== undefined) {
        node.end = step.end;
      } else if (step.next !== undefined) {
        out.push({ from: node.id, to: step.next, kind: 'next', ...(node.until !== undefined ? { label: node.until } : {}) });
      } else if (following !== undefined) {
        out.push({
          from: node.id,
          to: following,
          kind: 'next',
          implicit: true,
          ...(node.until !== undefined ? { label: node.until } : {}),
        });
      } else {
        node.end = IMPLICIT_OUTCOME;
        node.implicitEnd = true;
      }
    }
    if (node.limit) {
      out.push({
        from: node.id,
        to: node.limit.next,
        kind: 'limit',
        label: node.limit.after,
        ...(node.limit.ms !== undefined ? { ms: node.limit.ms } : {}),
      });
    }
    if (node.end !== undefined && !outcomes.includes(node.end)) outcomes.push(node.end);
    edges.push(...out);
    if (!(node.id in outgoing)) outgoing[node.id] = out;
  });

  const graph: SopGraph = {
    id: sop.id,
    title: sop.title,
    start: nodes[0]?.id ?? '',
    nodes,
    edges,
    nodeById,
    outgoing,
    fields: sop.fields && typeof sop.fields === 'object' ? sop.fields : {},
    outcomes,
    rules: Array.isArray(sop.rules) ? sop.rules.filter((r): r is string => typeof r === 'string').map((r) => r.trimEnd()) : [],
    sop,
  };
  if (typeof sop.target === 'string') graph.target = { after: sop.target, ms: parseDuration(sop.target) };
  return graph;
}
