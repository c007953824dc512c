// Child process (node --expose-gc): the runtime measurements, sopflow vs the same flow written
// by hand as a plain XState machine. Prints JSON on stdout.
//   node --expose-gc runtimeChild.mjs <rounds> <liveRuns>
import { importFrom, loadPackage, need } from '../lib/api.mjs';

const [roundsArg, liveArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
const LIVE = Number(liveArg);
const compiler = await loadPackage('compiler');
const runtime = await loadPackage('runtime');
const compileSop = need(compiler, 'compiler', 'compileSop');
const startRun = need(runtime, 'runtime', 'startRun');
const { createMachine, createActor } = await importFrom('runtime', 'xstate');

/** The flow: two tasks, a decision that loops back or goes on, a closing step. */
export const LOOP_SOP = {
  sopflow: 1,
  id: 'callback-loop',
  title: 'Call-back loop',
  instructions: [
    { id: 'greet', do: 'Greet the caller and confirm who they are.' },
    { id: 'research', do: 'Research the issue while the caller waits.' },
    {
      id: 'solved',
      ask: 'Is the issue solved?',
      choices: [
        { answer: 'Yes', next: 'wrap-up' },
        { answer: 'No', next: 'greet' },
      ],
    },
    { id: 'wrap-up', do: 'Close the ticket.', end: 'resolved' },
  ],
};
const handMachine = createMachine({
  id: 'callback-loop',
  initial: 'greet',
  context: { data: {} },
  states: {
    greet: { on: { NEXT: 'research' } },
    research: { on: { NEXT: 'solved' } },
    solved: {
      on: {
        CHOOSE: [
          { guard: ({ event }) => event.answer === 'Yes', target: 'wrapUp' },
          { guard: ({ event }) => event.answer === 'No', target: 'greet' },
        ],
      },
    },
    wrapUp: { on: { NEXT: 'done' } },
    done: { type: 'final' },
  },
});
/** The same flow by hand, plus what sopflow's journal does: an entry and exit action on each
 *  step and an action on each answer, each appending a timestamped entry to an array. */
const journalled = (() => {
  const log =
    (type) =>
    ({ context }, params) => {
      context.journal.push({ type, step: params.step, at: Date.now() });
    };
  const step = (id, on) => ({ entry: [{ type: 'enter', params: { step: id } }], exit: [{ type: 'leave', params: { step: id } }], on });
  return createMachine({
    id: 'callback-loop',
    initial: 'greet',
    context: () => ({ data: {}, journal: [] }),
    states: {
      greet: step('greet', { NEXT: 'research' }),
      research: step('research', { NEXT: 'solved' }),
      solved: step('solved', {
        CHOOSE: [
          { guard: ({ event }) => event.answer === 'Yes', target: 'wrapUp', actions: [{ type: 'took', params: { step: 'solved' } }] },
          { guard: ({ event }) => event.answer === 'No', target: 'greet', actions: [{ type: 'took', params: { step: 'solved' } }] },
        ],
      }),
      wrapUp: step('wrap-up', { NEXT: 'done' }),
      done: { type: 'final' },
    },
  }).provide({ actions: { enter: log('step-entered'), leave: log('step-left'), took: log('answer') } });
})();
const machine = compileSop(LOOP_SOP);

const contenders = {
  sopflow: {
    start: () => startRun(machine),
    loop: (run) => {
      run.complete();
      run.complete();
      run.choose('No');
    },
    advance: (run) => {
      run.complete();
    },
    stop: (run) => run.stop(),
    where: (run) => run.view().step,
  },
  xstate: {
    start: () => createActor(handMachine).start(),
    loop: (a) => {
      a.send({ type: 'NEXT' });
      a.send({ type: 'NEXT' });
      a.send({ type: 'CHOOSE', answer: 'No' });
    },
    advance: (a) => {
      a.send({ type: 'NEXT' });
    },
    stop: (a) => a.stop(),
    where: (a) => a.getSnapshot().value,
  },
  'xstate+journal': {
    start: () => createActor(journalled).start(),
    loop: (a) => {
      a.send({ type: 'NEXT' });
      a.send({ type: 'NEXT' });
      a.send({ type: 'CHOOSE', answer: 'No' });
    },
    advance: (a) => {
      a.send({ type: 'NEXT' });
    },
    stop: (a) => a.stop(),
    where: (a) => a.getSnapshot().value,
  },
};

// sanity: both flows really move
for (const [name, c] of Object.entries(contenders)) {
  const r = c.start();
  c.loop(r);
  c.advance(r);
  const at = c.where(r);
  if (at !== 'research') throw new Error(`${name}: after one loop and one step expected to be at "research", got ${JSON.stringify(at)}`);
  c.stop(r);
}

const now = () => performance.now();
const out = { create: {}, transition: {}, memory: {} };
const BATCH = 500; // runs per batch
const LOOPS = 10; // loops per run: 30 transitions, a realistic length for one run's journal
for (const name of Object.keys(contenders)) {
  out.create[name] = [];
  out.transition[name] = [];
}
for (let r = 0; r <= rounds; r++) {
  for (const [name, c] of Object.entries(contenders)) {
    globalThis.gc();
    let t = now();
    const runs = [];
    for (let i = 0; i < BATCH; i++) runs.push(c.start());
    const createUs = ((now() - t) * 1000) / BATCH;
    t = now();
    for (const run of runs) for (let k = 0; k < LOOPS; k++) c.loop(run);
    const transitionUs = ((now() - t) * 1000) / (BATCH * LOOPS * 3);
    for (const run of runs) c.stop(run);
    if (r > 0) {
      out.create[name].push(createUs);
      out.transition[name].push(transitionUs);
    }
  }
}

// memory: LIVE runs alive at once, each one step in
for (const [name, c] of Object.entries(contenders)) {
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const live = [];
  for (let i = 0; i < LIVE; i++) {
    const run = c.start();
    c.advance(run);
    live.push(run);
  }
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage().heapUsed;
  out.memory[name] = (after - before) / 2 ** 20;
  if (live.length !== LIVE) throw new Error('lost runs');
  for (const run of live) c.stop(run);
  live.length = 0;
}
process.stdout.write(JSON.stringify(out));
