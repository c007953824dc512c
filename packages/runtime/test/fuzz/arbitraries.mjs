// Random SOP families and random walks for the runtime's property tests (plain JS, so the same
// generators run in vitest and in the child process of fuzzInChild.test.ts).
import fc from 'fast-check';

export const FIELDS = {
  level: { type: 'string', enum: ['low', 'high'] },
  n: { type: 'integer', minimum: 0, maximum: 9 },
  flag: { type: 'boolean' },
  note: { type: 'string' },
};

const DURATIONS = ['1s', '45s', '30d', '41d'];
const CONDITIONS = [
  { field: 'level', equals: 'high' },
  { field: 'level', equals: 'low' },
  { field: 'flag', equals: true },
  { field: 'n', gte: 5 },
  { field: 'note', set: true },
  { field: 'flag', set: false },
];

/** One SOP of `n` steps whose ids are `p<k>-s<i>`; `child` is the id of a procedure it may use. */
function sopArb(id, n, child) {
  const ids = Array.from({ length: n }, (_, i) => `${id}-s${i}`);
  const target = fc.constantFrom(...ids);
  const step = (i) => {
    const kinds = [
      fc.record({
        do: fc.constant('Task.'),
        next: fc.option(target, { nil: undefined }),
        record: fc.option(fc.subarray(['level', 'n', 'flag', 'note'], { minLength: 1 }), { nil: undefined }),
        action: fc.option(fc.constant('crm.save'), { nil: undefined }),
      }),
      fc.record({
        ask: fc.constant('Which?'),
        choices: fc.array(
          fc.oneof(
            fc.record({ answer: fc.constantFrom('One', 'Two', 'toString'), next: target }),
            fc.record({ when: fc.constantFrom(...CONDITIONS), next: target }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
      }),
      fc.record({
        do: fc.constant('Hold.'),
        limit: fc.record({ after: fc.constantFrom(...DURATIONS), next: target }),
        next: fc.option(target, { nil: undefined }),
      }),
      fc.record({
        wait: fc.constant('The customer replies.'),
        until: fc.constant('ping'),
        next: fc.option(target, { nil: undefined }),
        limit: fc.option(fc.record({ after: fc.constantFrom(...DURATIONS), next: target }), { nil: undefined }),
      }),
      fc.record({ transfer: fc.constant('Billing'), end: fc.constantFrom('transferred', 'done') }),
      fc.record({ end: fc.constantFrom('done', 'other') }),
    ];
    if (child) {
      kinds.push(
        fc.record({
          use: fc.constant(child),
          with: fc.option(fc.constantFrom({ level: 'level' }, { n: 'n', flag: 'flag' }), { nil: undefined }),
          returns: fc.option(fc.constantFrom({ note: 'note' }, { level: 'level' }), { nil: undefined }),
          outcomes: fc.option(fc.record({ done: target }), { nil: undefined }),
          limit: fc.option(fc.record({ after: fc.constantFrom(...DURATIONS), next: target }), { nil: undefined }),
          next: fc.option(target, { nil: undefined }),
        }),
      );
    }
    return fc.oneof(...kinds).map((s) => {
      const out = { id: ids[i] };
      for (const [k, v] of Object.entries(s)) if (v !== undefined) out[k] = v;
      if (out.end !== undefined) delete out.next;
      return out;
    });
  };
  return fc
    .tuple(...ids.map((_, i) => step(i)))
    .map((instructions) => ({ sopflow: 1, id, title: id, version: '1.0.0', fields: FIELDS, instructions }));
}

/** A root SOP with up to two levels of sub-procedures: `{ sop, procedures }`. */
export const familyArb = fc
  .record({
    depth: fc.integer({ min: 0, max: 2 }),
    sizes: fc.tuple(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 4 })),
  })
  .chain(({ depth, sizes }) => {
    const grand = depth >= 2 ? sopArb('g', sizes[2], undefined) : fc.constant(undefined);
    const child = depth >= 1 ? sopArb('c', sizes[1], depth >= 2 ? 'g' : undefined) : fc.constant(undefined);
    return fc.tuple(sopArb('root', sizes[0], depth >= 1 ? 'c' : undefined), child, grand).map(([sop, c, g]) => {
      const procedures = {};
      if (c) procedures.c = c;
      if (g) procedures.g = g;
      return { sop, procedures };
    });
  });

/** A random move, valid or not, or a pause, a persist/restore, a cancel. */
export const stepArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'complete' }) },
  { weight: 3, arbitrary: fc.constantFrom('One', 'Two', 'toString', 'Three').map((answer) => ({ kind: 'choose', answer })) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        { level: 'high' },
        { level: 'low' },
        { n: 7 },
        { n: 2 },
        { flag: true },
        { note: 'x' },
        { level: 3 },
        { n: 1.5 },
        { other: 'x' },
        { constructor: 'x' },
        {},
      )
      .map((data) => ({ kind: 'record', data })),
  },
  { weight: 2, arbitrary: fc.constantFrom('ping', 'pong').map((signal) => ({ kind: 'signal', signal })) },
  { weight: 2, arbitrary: fc.constantFrom(500, 1_000, 45_000, 31 * 86_400_000, 42 * 86_400_000).map((ms) => ({ kind: 'wait', ms })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'restore' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ junk: true }, { complete: false }, { choose: 1 }, null).map((move) => ({ kind: 'raw', move })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancel' }) },
);

/** How the bound action behaves in a case: returns, throws, resolves or rejects later, or
 *  tries to move the run from inside. */
export const actionBehaviourArb = fc.constantFrom('ok', 'throw', 'resolve', 'reject', 'bad-then', 'reenter');

export function boundActions(behaviour) {
  return {
    'crm.save': ({ run }) => {
      switch (behaviour) {
        case 'throw':
          throw new Error('CRM down');
        case 'resolve':
          return Promise.resolve('saved');
        case 'reject':
          return Promise.reject(new Error('CRM timeout'));
        case 'bad-then':
          return {
            then: () => {
              throw new Error('bad thenable');
            },
          };
        case 'reenter':
          run.complete();
          return undefined;
        default:
          return undefined;
      }
    },
  };
}
