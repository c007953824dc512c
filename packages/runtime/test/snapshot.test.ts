import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { RunError, SimulatedClock, startRun, type RunSnapshot } from '../src/index.js';
import { loadFixture } from './loadFixture.js';

const escalate = loadFixture('escalate.sop.yaml');
const procedures = { 'open-ticket': loadFixture('open-ticket.sop.yaml') };
const actions = { 'crm.open-ticket': () => {}, 'crm.save-notes': () => {} };
const schema = JSON.parse(readFileSync(new URL('../../../schemas/run-snapshot.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validateSnapshot = ajv.compile(schema);

/** A run inside its sub-procedure, with data on both levels, a limit armed on the `use:` step,
 *  an action done, and a signal step ahead. */
function midRun() {
  const clock = new SimulatedClock();
  clock.set(Date.parse('2026-06-01T09:00:00Z'));
  const run = startRun(escalate, { procedures, clock, actions, meta: { ticket: 'T-1' }, id: 'run-7' });
  run.record({ customer_id: 'C-1', severity: 3 }, { by: 'ana' });
  clock.increment(5_000);
  run.complete({ by: 'ana' });
  clock.increment(2_000);
  return { run, clock };
}

type Edit = [string, (s: any) => void];

function edits(): Edit[] {
  const list: Edit[] = [];
  const top = ['sopflow', 'format', 'id', 'sop', 'revision', 'state', 'journal'];
  for (const key of top) {
    list.push([
      `delete ${key}`,
      (s) => {
        delete s[key];
      },
    ]);
    for (const [name, value] of [
      ['null', null],
      ['a number', 42],
      ['a string', 'x'],
      ['a list', []],
      ['an object', {}],
    ] as const) {
      list.push([
        `${key} = ${name}`,
        (s) => {
          s[key] = structuredClone(value);
        },
      ]);
    }
  }
  list.push(
    [
      'future format',
      (s) => {
        s.format = 3;
      },
    ],
    [
      'old format',
      (s) => {
        s.format = 1;
      },
    ],
    [
      'format as text',
      (s) => {
        s.format = '2';
      },
    ],
    [
      'revision negative',
      (s) => {
        s.revision = -1;
      },
    ],
    [
      'revision fractional',
      (s) => {
        s.revision = 1.5;
      },
    ],
    [
      'another SOP id',
      (s) => {
        s.sop.id = 'other';
      },
    ],
    [
      'another build',
      (s) => {
        s.sop.hash = 'abc';
      },
    ],
    [
      'another version',
      (s) => {
        s.sop.version = '9.9.9';
      },
    ],
    [
      'sop without hash',
      (s) => {
        delete s.sop.hash;
      },
    ],
    [
      'sop with an extra key',
      (s) => {
        s.sop.extra = 1;
      },
    ],
    [
      'an unknown top-level key',
      (s) => {
        s.machine = {};
      },
    ],
    [
      'a __proto__ key at the top',
      (s) => {
        Object.defineProperty(s, '__proto__', { value: { polluted: true }, enumerable: true });
      },
    ],
    [
      'status done without outcome',
      (s) => {
        s.state.status = 'done';
      },
    ],
    [
      'status done with an outcome',
      (s) => {
        s.state.status = 'done';
        s.state.outcome = 'escalated';
      },
    ],
    [
      'status cancelled',
      (s) => {
        s.state.status = 'cancelled';
      },
    ],
    [
      'status unknown',
      (s) => {
        s.state.status = 'paused';
      },
    ],
    [
      'an outcome while active',
      (s) => {
        s.state.outcome = 'x';
      },
    ],
    [
      'an empty stack',
      (s) => {
        s.state.stack = [];
      },
    ],
    [
      'a level removed',
      (s) => {
        s.state.stack.pop();
      },
    ],
    [
      'a level added',
      (s) => {
        s.state.stack.push(structuredClone(s.state.stack[1]));
      },
    ],
    [
      'a step that skips ahead',
      (s) => {
        s.state.stack[0].step = 'approve';
        s.state.stack.length = 1;
      },
    ],
    [
      'a step that does not exist',
      (s) => {
        s.state.stack[1].step = 'nowhere';
      },
    ],
    [
      'step __proto__',
      (s) => {
        s.state.stack[1].step = '__proto__';
      },
    ],
    [
      'step constructor',
      (s) => {
        s.state.stack[1].step = 'constructor';
      },
    ],
    [
      'another procedure on a level',
      (s) => {
        s.state.stack[1].sop = 'escalate';
      },
    ],
    [
      'since moved',
      (s) => {
        s.state.stack[1].since += 1_000;
      },
    ],
    [
      'since as text',
      (s) => {
        s.state.stack[1].since = 'soon';
      },
    ],
    [
      'since out of range',
      (s) => {
        s.state.stack[0].since = -1e20;
      },
    ],
    [
      'a deadline removed (since of the use: step)',
      (s) => {
        delete s.state.stack[0].since;
      },
    ],
    [
      'data of the wrong type',
      (s) => {
        s.state.stack[0].data.severity = 'high';
      },
    ],
    [
      'an undeclared field',
      (s) => {
        s.state.stack[0].data.colour = 'red';
      },
    ],
    [
      'a value removed',
      (s) => {
        delete s.state.stack[1].data.customer_number;
      },
    ],
    [
      'a value changed',
      (s) => {
        s.state.stack[1].data.customer_number = 'C-2';
      },
    ],
    [
      'data as a list',
      (s) => {
        s.state.stack[0].data = ['C-1'];
      },
    ],
    [
      'a nested value',
      (s) => {
        s.state.stack[0].data.customer_id = { id: 'C-1' };
      },
    ],
    [
      'a __proto__ field',
      (s) => {
        Object.defineProperty(s.state.stack[0].data, '__proto__', { value: 'x', enumerable: true });
      },
    ],
    [
      'a frame with an extra key',
      (s) => {
        s.state.stack[0].limit = null;
      },
    ],
    [
      'seq off by one',
      (s) => {
        s.state.seq += 1;
      },
    ],
    [
      'startedAt moved',
      (s) => {
        s.state.startedAt -= 1;
      },
    ],
    [
      'an emptied journal',
      (s) => {
        s.journal = [];
        s.state.seq = 0;
      },
    ],
    [
      'the last entry removed',
      (s) => {
        s.journal.pop();
        s.state.seq -= 1;
      },
    ],
    [
      'the first entry removed',
      (s) => {
        s.journal.shift();
        s.state.seq -= 1;
      },
    ],
    [
      'an entry duplicated',
      (s) => {
        s.journal.push(structuredClone(s.journal.at(-1)));
        s.state.seq += 1;
      },
    ],
    [
      'an entry of unknown type',
      (s) => {
        s.journal[1].type = 'teleported';
      },
    ],
    [
      'an entry re-stamped',
      (s) => {
        s.journal[1].at = '2020-01-01T00:00:00.000Z';
      },
    ],
    [
      'an entry moved in time',
      (s) => {
        s.journal[1].ms += 1;
      },
    ],
    [
      'a negative ms',
      (s) => {
        s.journal[0].ms = -5;
      },
    ],
    [
      'recorded data rewritten',
      (s) => {
        s.journal.find((e: any) => e.type === 'recorded').data.customer_id = 'C-666';
        s.state.stack[0].data.customer_id = 'C-666';
      },
    ],
    [
      'a path rewritten',
      (s) => {
        s.journal.at(-1).path = ['elsewhere'];
      },
    ],
    [
      'an entry with an extra key',
      (s) => {
        s.journal[0].extra = true;
      },
    ],
    [
      'an entry that is not an object',
      (s) => {
        s.journal[2] = 'step-entered';
      },
    ],
    [
      'journal and state both skipped ahead',
      (s) => {
        const e = structuredClone(s.journal.find((x: any) => x.type === 'step-entered' && !x.path));
        e.step = 'approve';
        s.journal.push(e);
        s.state.seq += 1;
        s.state.stack = [{ ...s.state.stack[0], step: 'approve' }];
      },
    ],
    [
      'an action result answering nothing',
      (s) => {
        s.journal.push({
          type: 'action-done',
          at: s.journal.at(-1).at,
          ms: s.journal.at(-1).ms,
          step: 'x',
          sop: 'escalate',
          action: 'a',
          ref: 999,
        });
        s.state.seq += 1;
      },
    ],
    [
      "meta replaced (the app's own data: accepted as it is)",
      (s) => {
        s.meta = { ticket: 'T-2' };
      },
    ],
  );
  return list;
}

describe('snapshots are checked, not trusted', () => {
  it('a snapshot made by persist() fits the published schema, and restores to an identical run', () => {
    const { run, clock } = midRun();
    const saved = JSON.parse(JSON.stringify(run.persist()));
    expect(validateSnapshot(saved), JSON.stringify(validateSnapshot.errors)).toBe(true);
    const again = startRun(escalate, { procedures, clock, actions, snapshot: saved });
    expect(again.view()).toEqual(run.view());
    expect(again.journal).toEqual(run.journal);
    expect(again.persist()).toEqual(saved);
  });

  const cases = edits();
  it(`has at least 50 ways to edit a snapshot (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(50));

  it.each(cases)('%s: refused at once with a RunError, or restores to an identical run', async (_name, edit) => {
    const { run, clock } = midRun();
    const saved = JSON.parse(JSON.stringify(run.persist())) as RunSnapshot;
    const tampered = JSON.parse(JSON.stringify(saved));
    edit(tampered);
    let restored: ReturnType<typeof startRun> | undefined;
    try {
      restored = startRun(escalate, { procedures, clock, actions, snapshot: tampered });
    } catch (error) {
      expect(error).toBeInstanceOf(RunError);
      expect(['invalid-snapshot', 'snapshot-mismatch']).toContain((error as RunError).code);
      expect((error as RunError).message.length).toBeGreaterThan(20);
    }
    if (restored) {
      expect(restored.view()).toEqual(run.view());
      expect(restored.journal).toEqual(run.journal);
      clock.increment(60 * 86_400_000); // every limit fires: the host stays up
      restored.stop();
    }
    await new Promise((r) => setTimeout(r, 0));
  });

  it('a sealed snapshot refuses any edit, a missing seal and another key; an intact one restores', () => {
    const { run, clock } = midRun();
    const sealed = run.persist({ seal: 'k3y' });
    expect(sealed.seal).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(() => startRun(escalate, { procedures, clock, actions, snapshot: sealed, seal: 'k3y' })).not.toThrow();
    const edited = structuredClone(sealed);
    edited.meta = { ticket: 'T-666' };
    expect(() => startRun(escalate, { procedures, clock, actions, snapshot: edited, seal: 'k3y' })).toThrow(
      expect.objectContaining({ code: 'invalid-seal' }),
    );
    expect(() => startRun(escalate, { procedures, clock, actions, snapshot: sealed, seal: 'other' })).toThrow(
      expect.objectContaining({ code: 'invalid-seal' }),
    );
    const { seal: _drop, ...unsealed } = sealed;
    expect(() => startRun(escalate, { procedures, clock, actions, snapshot: unsealed, seal: 'k3y' })).toThrow(
      expect.objectContaining({ code: 'invalid-seal' }),
    );
    expect(() => startRun(escalate, { procedures, clock, actions, snapshot: sealed, seal: new TextEncoder().encode('k3y') })).not.toThrow();
  });

  it('what is not a snapshot at all is refused with invalid-snapshot', () => {
    const clock = new SimulatedClock();
    for (const bad of [null, 1, 'run', [], { sopflow: 'run' }, { nope: true }]) {
      expect(() => startRun(escalate, { procedures, clock, actions, snapshot: bad as never })).toThrow(
        expect.objectContaining({ code: 'invalid-snapshot' }),
      );
    }
    const cyclic: any = { sopflow: 'run' };
    cyclic.self = cyclic;
    expect(() => startRun(escalate, { procedures, clock, actions, snapshot: cyclic })).toThrow(
      expect.objectContaining({ code: 'invalid-snapshot' }),
    );
  });
});
