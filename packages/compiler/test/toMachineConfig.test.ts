import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import {
  CompileError,
  compileSop,
  createSopMachine,
  encodeStateKey,
  endStateKey,
  hashJson,
  readCompiledSop,
  toMachineConfig,
} from '../src/index.js';
import { loadFixture } from './loadFixture.js';

const hold = loadFixture('hold.sop.yaml');
const parent = loadFixture('parent.sop.yaml');
const verify = loadFixture('verify.sop.yaml');

describe('toMachineConfig', () => {
  it('makes one state per step, keyed by step id, with the step in meta', () => {
    const config = toMachineConfig(hold);
    const steps = Object.values(config.states)
      .filter((s) => s.meta.step)
      .map((s) => s.meta.step!.id);
    expect(steps).toEqual(hold.instructions.map((s) => s.id));
    expect(config.initial).toBe('greet');
    const research = config.states.research!;
    expect(research.meta.step).toMatchObject({
      id: 'research',
      kind: 'task',
      segment: 'hold',
      limit: { after: '60s', ms: 60000, next: 'check-back' },
    });
    expect(research.after).toHaveProperty('60000');
    expect(config.states.resolve!.meta.step).toMatchObject({ checks: ['Summarise the fix'], actions: ['crm.save-notes'] });
    expect(config.states.identify!.meta.step).toMatchObject({ record: ['customer_id', 'issue'], required: ['customer_id'] });
    expect(config.meta.sopflow).toMatchObject({
      id: 'hold',
      version: '1.0.0',
      actions: ['crm.save-notes'],
      outcomes: ['transferred', 'resolved'],
    });
  });

  it('is plain JSON: stringify round-trips it, and XState accepts it as is', () => {
    const config = toMachineConfig(parent, { procedures: { verify } });
    const copy = JSON.parse(JSON.stringify(config));
    expect(copy).toEqual(config);
    expect(() => createMachine(copy)).not.toThrow();
  });

  it('encodes ids XState cannot take as keys, keeping the original in meta', () => {
    const config = toMachineConfig(parent, { procedures: { verify } });
    expect(encodeStateKey('start.here')).toBe('start~002ehere');
    expect(config.states['start~002ehere']!.meta.step!.id).toBe('start.here');
    expect(config.states['check~00231']!.meta.step!.id).toBe('check#1');
    for (const key of Object.keys(config.states)) expect(key).not.toMatch(/[.#]/);
    expect(encodeStateKey('a~b')).toBe('a~007eb');
    expect(encodeStateKey('a~007eb')).not.toBe(encodeStateKey('a~b'));
  });

  it('keeps a step with content and `end` active until done, then ends in a final state', () => {
    const config = toMachineConfig(hold);
    const toBilling = config.states['to-billing']!;
    expect(toBilling.type).toBeUndefined();
    expect(toBilling.on!.NEXT).toMatchObject({ target: endStateKey('transferred') });
    expect(config.states[endStateKey('transferred')]).toMatchObject({ type: 'final', output: { outcome: 'transferred' } });
    expect(config.states.done).toMatchObject({ type: 'final', output: { outcome: 'resolved' } });
  });

  it('compiles decisions: answers on CHOOSE, `when` choices as guarded eventless transitions in order', () => {
    const triage = toMachineConfig(hold).states.triage!;
    expect(triage.always).toEqual([
      expect.objectContaining({
        target: 'to-tech',
        guard: { type: 'sopflow.when', params: { when: { field: 'issue', equals: 'technical' } } },
      }),
    ]);
    expect((triage.on!.CHOOSE as unknown[]).map((t: any) => t.guard.params.answer)).toEqual(['Yes', 'No']);
  });

  it('embeds every procedure (at any depth) so the JSON alone can run', () => {
    const config = toMachineConfig(parent, { procedures: { verify } });
    expect(Object.keys(config.meta.sopflow.procedures!)).toEqual(['verify']);
    expect(config.meta.sopflow.actions).toEqual(['audit.log']);
    const step = config.states['check~00231']!;
    expect(step.invoke).toMatchObject({ src: 'sopflow:verify' });
    expect(step.invoke!.onDone.map((t) => t.target)).toEqual(['refuse', 'help']);
  });

  it('hashes the config: same SOP, same hash; any change, another', () => {
    const a = toMachineConfig(hold).meta.sopflow.hash;
    expect(toMachineConfig(structuredClone(hold)).meta.sopflow.hash).toBe(a);
    const changed = structuredClone(hold);
    changed.instructions[0]!.do = 'Greet the caller warmly.';
    expect(toMachineConfig(changed).meta.sopflow.hash).not.toBe(a);
  });

  it('refuses what cannot run, with a CompileError', () => {
    expect(() => toMachineConfig(parent)).toThrow(CompileError);
    expect(() => toMachineConfig({ ...hold, instructions: [] })).toThrow(/no steps/);
    const broken = structuredClone(hold);
    broken.instructions[0]!.next = 'nowhere';
    expect(() => toMachineConfig(broken)).toThrow(/unknown step "nowhere"/);
    const loop = { ...verify, id: 'loop', instructions: [{ id: 'a', use: 'loop' }] };
    expect(() => toMachineConfig(loop, { procedures: { loop } })).toThrow(/runs itself/);
  });
});

describe('compileSop', () => {
  it('returns a machine that walks with NEXT / CHOOSE / RECORD and ends with { outcome }', () => {
    const machine = compileSop(hold).provide({ actions: { 'crm.save-notes': () => {} } });
    const actor = createActor(machine).start();
    actor.send({ type: 'NEXT' });
    actor.send({ type: 'NEXT' });
    expect(actor.getSnapshot().value).toBe('identify'); // required customer_id not recorded
    actor.send({ type: 'RECORD', data: { customer_id: 42 } });
    expect(actor.getSnapshot().context.data).toEqual({}); // wrong type refused by the guard
    actor.send({ type: 'RECORD', data: { customer_id: 'C-1', issue: 'billing' } });
    actor.send({ type: 'NEXT' });
    actor.send({ type: 'CHOOSE', answer: 'No' });
    actor.send({ type: 'NEXT' });
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().output).toEqual({ outcome: 'transferred', data: { customer_id: 'C-1', issue: 'billing' } });
  });

  it('takes a `when` choice as soon as the data holds', () => {
    const actor = createActor(compileSop(hold).provide({ actions: { 'crm.save-notes': () => {} } })).start();
    actor.send({ type: 'NEXT' });
    actor.send({ type: 'RECORD', data: { customer_id: 'C-1', issue: 'technical' } });
    actor.send({ type: 'NEXT' });
    expect(actor.getSnapshot().value).toBe('to-tech');
  });

  it('an unprovided named action fails loudly, never a silent no-op', () => {
    const errors: unknown[] = [];
    const actor = createActor(compileSop(hold));
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    actor.send({ type: 'NEXT' });
    actor.send({ type: 'RECORD', data: { customer_id: 'C-1' } });
    actor.send({ type: 'NEXT' });
    actor.send({ type: 'CHOOSE', answer: 'Yes' });
    actor.send({ type: 'NEXT' });
    actor.send({ type: 'NEXT' });
    expect(String(errors[0])).toMatch(/action "crm.save-notes" is not bound/);
  });

  it('createSopMachine builds from parsed JSON and caches per config', () => {
    const config = JSON.parse(JSON.stringify(toMachineConfig(parent, { procedures: { verify } })));
    expect(createSopMachine(config)).toBe(createSopMachine(config));
    const actor = createActor(createSopMachine(config).provide({ actions: { 'audit.log': () => {} } })).start();
    actor.send({ type: 'NEXT' });
    const child = actor.getSnapshot().children['check~00231'];
    child.send({ type: 'RECORD', data: { passed: true } });
    child.send({ type: 'NEXT' });
    expect(actor.getSnapshot().value).toBe('help');
  });
});

describe('targets, rules and list fields (issue 12)', () => {
  const sop = {
    sopflow: 1 as const,
    id: 't',
    title: 'T',
    target: '10m',
    rules: ['Speak clearly.  '],
    fields: { tags: { type: 'list' as const, items: { type: 'string' as const, enum: ['vip', 'new'] } } },
    instructions: [
      { id: 'a', do: 'Answer.', target: '20s', record: ['tags'] },
      {
        id: 'b',
        ask: 'VIP?',
        choices: [
          { when: { field: 'tags', contains: 'vip' }, next: 'c' },
          { answer: 'No', next: 'c' },
        ],
      },
      { id: 'c', end: 'done' },
    ],
  };

  it('compiles a step target, the SOP target and the rules into the meta the runtime reads', () => {
    const config = toMachineConfig(sop);
    expect(config.states.a!.meta.step!.target).toEqual({ after: '20s', ms: 20_000 });
    expect(config.meta.sopflow).toMatchObject({ target: { after: '10m', ms: 600_000 }, rules: ['Speak clearly.'] });
    const compiled = readCompiledSop(JSON.parse(JSON.stringify(config)));
    expect(compiled.rules).toEqual(['Speak clearly.']);
    expect(compiled.target).toEqual({ after: '10m', ms: 600_000 });
    expect(compiled.fields.get('tags')).toEqual({ type: 'list', items: { type: 'string', enum: ['vip', 'new'] } });
  });

  it('XState takes a `contains` choice from a recorded list', () => {
    const actor = createActor(createSopMachine(toMachineConfig(sop))).start();
    actor.send({ type: 'RECORD', data: { tags: ['new', 'vip'] } });
    actor.send({ type: 'NEXT' });
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('refuses a target it cannot read, and a config whose target, rules or list items were edited', () => {
    expect(() => toMachineConfig({ ...sop, instructions: [{ id: 'a', do: 'x', target: 'soon' }] })).toThrow(CompileError);
    expect(() => toMachineConfig({ ...sop, target: '1 minute' })).toThrow(/cannot read the time target/);
    const edited = (change: (c: any) => void) => {
      const config = JSON.parse(JSON.stringify(toMachineConfig(sop)));
      change(config);
      config.meta.sopflow.hash = '';
      config.meta.sopflow.hash = hashJson(config);
      return () => readCompiledSop(config);
    };
    expect(
      edited((c) => {
        c.states.a.meta.step.target = { after: '20s', ms: -1 };
      }),
    ).toThrow(/time target is malformed/);
    expect(
      edited((c) => {
        c.meta.sopflow.rules = [1];
      }),
    ).toThrow(/rules is not a list/);
    expect(
      edited((c) => {
        c.meta.sopflow.target = { after: 'x' };
      }),
    ).toThrow(/target is malformed/);
    expect(
      edited((c) => {
        c.meta.sopflow.fields.tags.items = { type: 'map' };
      }),
    ).toThrow(/no known item type/);
  });
});
