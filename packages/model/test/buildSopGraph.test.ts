import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSopGraph, IMPLICIT_OUTCOME, type Sop, type Step } from '../src/index.js';

const sop = (instructions: Step[], extra: Partial<Sop> = {}): Sop => ({ sopflow: 1, id: 't', title: 'T', instructions, ...extra });

describe('buildSopGraph', () => {
  it('a plain list flows step to step and ends with the implicit outcome', () => {
    const g = buildSopGraph(sop([{ do: 'One' }, { do: 'Two' }, { do: 'Three' }]));
    expect(g.nodes.map((n) => n.id)).toEqual(['step-1', 'step-2', 'step-3']);
    expect(g.start).toBe('step-1');
    expect(g.edges).toEqual([
      { from: 'step-1', to: 'step-2', kind: 'next', implicit: true },
      { from: 'step-2', to: 'step-3', kind: 'next', implicit: true },
    ]);
    expect(g.nodeById['step-3']).toMatchObject({ end: IMPLICIT_OUTCOME, implicitEnd: true });
    expect(g.outcomes).toEqual([IMPLICIT_OUTCOME]);
  });

  it('classifies step kinds and keeps hand-off and sub-procedure details', () => {
    const g = buildSopGraph(
      sop([
        { id: 'a', do: 'Greet' },
        {
          id: 'b',
          ask: 'Can you help?',
          choices: [
            { answer: 'Yes', next: 'c' },
            { when: { field: 'x', equals: 'y' }, next: 'd' },
          ],
        },
        { id: 'c', use: 'verify', outcomes: { ok: 'e' } },
        { id: 'd', transfer: 'Billing', end: 'transferred' },
        { id: 'e', escalate: 'Escalation queue', next: 'f' },
        { id: 'f', end: 'resolved' },
      ]),
    );
    expect(g.nodes.map((n) => n.kind)).toEqual(['task', 'decision', 'subprocedure', 'handoff', 'handoff', 'end']);
    expect(g.nodeById.d).toMatchObject({ handoff: { mode: 'transfer', to: 'Billing' }, end: 'transferred', text: 'Transfer to Billing' });
    expect(g.nodeById.e?.handoff).toEqual({ mode: 'escalate', to: 'Escalation queue' });
    expect(g.outgoing.b).toEqual([
      { from: 'b', to: 'c', kind: 'answer', label: 'Yes', choice: 0 },
      { from: 'b', to: 'd', kind: 'when', when: { field: 'x', equals: 'y' }, choice: 1 },
    ]);
    expect(g.outgoing.c).toEqual([
      { from: 'c', to: 'e', kind: 'outcome', label: 'ok' },
      { from: 'c', to: 'd', kind: 'next', implicit: true },
    ]);
    expect(g.outcomes).toEqual(['transferred', 'resolved']);
  });

  it('turns a limit into a timed edge', () => {
    const g = buildSopGraph(
      sop([
        { id: 'hold', do: 'Hold', limit: { after: '60s', next: 'back' }, next: 'done' },
        { id: 'back', do: 'Apologise', next: 'hold' },
        { id: 'done', end: 'ok' },
      ]),
    );
    expect(g.outgoing.hold).toContainEqual({ from: 'hold', to: 'back', kind: 'limit', label: '60s', ms: 60_000 });
  });

  it('keeps broken references as written and the first of duplicate ids', () => {
    const g = buildSopGraph(
      sop([
        { id: 'a', do: 'x', next: 'nowhere' },
        { id: 'a', do: 'y' },
      ]),
    );
    expect(g.edges[0]?.to).toBe('nowhere');
    expect(g.nodeById.a?.text).toBe('x');
    expect(g.nodes).toHaveLength(2);
  });

  it('property: one node per step, every edge leaves a known step, and the graph is plain data', () => {
    const stepArb = fc.record({ do: fc.string(), end: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }) }, { requiredKeys: ['do'] });
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 30 }), (steps) => {
        const clean = steps.map((s) => (s.end === undefined ? { do: s.do } : s));
        const g = buildSopGraph(sop(clean));
        expect(g.nodes).toHaveLength(clean.length);
        for (const e of g.edges) expect(g.nodeById[e.from]).toBeDefined();
        for (const n of g.nodes) expect(n.end !== undefined || g.outgoing[n.id]!.length > 0).toBe(true);
      }),
    );
  });
});
