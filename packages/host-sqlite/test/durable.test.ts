import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { toMachineConfig } from '@sopflow/compiler';
import { HostError, type HostActionCall } from '@sopflow/host';
import { deskSop, eventually, ticketSop } from '@sopflow/host/contract';
import { SimulatedClock } from '@sopflow/runtime';
import { SqliteHost } from '../src/index.js';

const desk = toMachineConfig(deskSop(), { procedures: { ticket: ticketSop } });
const ticket = toMachineConfig(ticketSop);
let dirs: string[] = [];
let hosts: SqliteHost[] = [];

function dbFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-sqlite-'));
  dirs.push(dir);
  return path.join(dir, 'runs.db');
}

function track(host: SqliteHost): SqliteHost {
  hosts.push(host);
  return host;
}

afterEach(async () => {
  for (const h of hosts) await h.close().catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  hosts = [];
  dirs = [];
});

const noop = { 'crm.save-notes': () => {}, 'crm.open-ticket': () => {} };

async function toResolve(host: SqliteHost, meta?: unknown) {
  let r = await host.start('desk', meta === undefined ? {} : { meta: meta as never });
  r = await host.move(r.id, { record: { customer_id: 'C-1', issue: 'billing' } });
  r = await host.move(r.id, { complete: true });
  r = await host.move(r.id, { choose: 'Yes' });
  r = await host.move(r.id, { complete: true });
  return host.move(r.id, { complete: true }); // resolve: requests crm.save-notes
}

describe('SqliteHost: one file, one process', () => {
  it('refuses a second host on the same file until the first closes', async () => {
    const file = dbFile();
    const first = track(new SqliteHost({ file, sops: [desk, ticket], actions: noop }));
    await first.start('desk', { id: 'r1' });
    let error: unknown;
    try {
      track(new SqliteHost({ file, sops: [desk, ticket], actions: noop }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).code).toBe('unavailable');
    expect((error as HostError).message).toMatch(/in use by another host/);
    // and a plain SQLite connection cannot write to it behind the host's back
    const other = new Database(file, { timeout: 0 });
    expect(() => other.prepare("UPDATE runs SET revision = 99 WHERE id = 'r1'").run()).toThrow(/locked|busy/i);
    other.close();
    await first.close();
    const second = track(new SqliteHost({ file, actions: noop }));
    expect((await second.get('r1')).revision).toBe(1);
  });

  it('keeps its builds: a run finishes on its build after a restart that serves only a newer one', async () => {
    const file = dbFile();
    const first = new SqliteHost({ file, sops: [desk, ticket], actions: noop });
    const r = await first.start('desk');
    await first.close();
    const v2 = toMachineConfig(deskSop('1.1.0', 'Call back.'), { procedures: { ticket: ticketSop } });
    const second = track(new SqliteHost({ file, sops: [v2], actions: noop }));
    expect((await second.get(r.id)).sop.version).toBe('1.0.0');
    expect((await second.start('desk')).sop.version).toBe('1.1.0');
    expect((await second.sops()).filter((s) => s.id === 'desk').map((s) => [s.version, s.newest])).toEqual([
      ['1.0.0', false],
      ['1.1.0', true],
    ]);
    await second.close();
    // published again, the old build is the newest again
    const third = track(new SqliteHost({ file, sops: [desk], actions: noop }));
    expect((await third.start('desk')).sop.version).toBe('1.0.0');
  });

  it('an action cut off by a crash runs again at the next open, with the same key, and is journaled once', async () => {
    const file = dbFile();
    const calls: HostActionCall[] = [];
    // the first process's CRM hangs: the process "dies" (closes its file without an answer)
    let release!: () => void;
    const hang = new Promise<void>((r) => {
      release = r;
    });
    const first = new SqliteHost({
      file,
      sops: [desk, ticket],
      actions: {
        ...noop,
        'crm.save-notes': async (c) => {
          calls.push(c);
          await hang;
          throw new Error('cut off');
        },
      },
    });
    const done = await toResolve(first, { ticket: 'T-1' });
    expect(done).toMatchObject({ status: 'done', pendingActions: 1 });
    await eventually(async () => expect(calls).toHaveLength(1));
    // a crash is the file as it is now: copy it while the action hangs
    const crashed = `${file}.crashed`;
    await first.backup(crashed);
    release();
    await first.close();
    const second = track(
      new SqliteHost({
        file: crashed,
        sops: [desk, ticket],
        actions: {
          ...noop,
          'crm.save-notes': (c) => {
            calls.push(c);
          },
        },
      }),
    );
    const after = await eventually(async () => {
      const now = await second.get(done.id, { journal: true });
      expect(now.pendingActions).toBe(0);
      return now;
    });
    expect(calls.map((c) => [c.key, c.attempt])).toEqual([
      [`${done.id}:${calls[0]!.key.split(':')[1]}`, 1],
      [calls[0]!.key, 2],
    ]);
    expect(after.journal!.filter((e) => e.type === 'action-done')).toHaveLength(1);
    expect(after.journal!.filter((e) => e.type === 'action-requested')).toHaveLength(1);
  });

  it('an action with no implementation waits in the outbox, and runs once one is given', async () => {
    const file = dbFile();
    const errors: Error[] = [];
    const calls: HostActionCall[] = [];
    // a process killed before the action ran: a copy of its file taken while the action hangs
    let release!: () => void;
    const hang = new Promise<void>((r) => {
      release = r;
    });
    const blocked = new SqliteHost({ file: `${file}.2`, sops: [desk, ticket], actions: { ...noop, 'crm.save-notes': () => hang } });
    const done = await toResolve(blocked);
    await blocked.backup(`${file}.3`);
    release();
    await blocked.close();
    // opened without the action: kept, reported, never dropped
    const without = new SqliteHost({
      file: `${file}.3`,
      sops: [desk, ticket],
      actions: { 'crm.open-ticket': () => {} },
      onError: (e) => errors.push(e),
    });
    await eventually(async () => expect(errors.map((e) => e.message).join()).toMatch(/waits in the outbox/));
    expect((await without.get(done.id)).pendingActions).toBe(1);
    await without.close();
    const withIt = track(
      new SqliteHost({
        file: `${file}.3`,
        sops: [desk, ticket],
        actions: {
          ...noop,
          'crm.save-notes': (c) => {
            calls.push(c);
          },
        },
      }),
    );
    await eventually(async () => expect((await withIt.get(done.id)).pendingActions).toBe(0));
    expect(calls).toHaveLength(1);
  });

  it('one timer for the file: 500 runs with limits fire at their deadlines on a simulated clock, and at open when missed', async () => {
    const file = dbFile();
    const clock = new SimulatedClock();
    clock.set(Date.parse('2026-01-01T00:00:00Z'));
    let host = new SqliteHost({ file, sops: [desk, ticket], actions: noop, clock });
    const ids: string[] = [];
    for (let i = 0; i < 500; i++) {
      let r = await host.start('desk');
      r = await host.move(r.id, { record: { customer_id: `C-${i}`, issue: 'billing' } });
      r = await host.move(r.id, { complete: true });
      r = await host.move(r.id, { choose: 'Yes' });
      ids.push(r.id);
      if (i % 100 === 99) clock.increment(10); // deadlines spread over time
    }
    expect((await host.list({ step: 'hold', limit: 1000 })).runs).toHaveLength(500);
    clock.increment(1_000);
    await eventually(async () => expect((await host.list({ step: 'check-back', limit: 1000 })).runs).toHaveLength(500));
    // back on hold, then the host is down while the limits pass
    for (const id of ids) await host.move(id, { complete: true });
    await host.close();
    clock.increment(5_000);
    host = track(new SqliteHost({ file, sops: [desk, ticket], actions: noop, clock }));
    // fired before the constructor returned
    expect((await host.list({ step: 'check-back', limit: 1000 })).runs).toHaveLength(500);
    const r = await host.get(ids[0]!, { journal: true });
    expect(r.journal!.filter((e) => e.type === 'limit-fired')).toHaveLength(2);
  }, 60_000);

  it('list answers from indexes', async () => {
    const file = dbFile();
    await track(new SqliteHost({ file, sops: [desk, ticket], actions: noop })).close();
    const db = new Database(file);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT id FROM runs WHERE status = 'active' ORDER BY created_at, id LIMIT 10")).toMatch(/INDEX runs_by_status/);
    expect(plan("SELECT id FROM runs WHERE role = 'CSR' ORDER BY created_at, id LIMIT 10")).toMatch(/INDEX runs_by_role/);
    expect(plan("SELECT id FROM runs WHERE step = 'hold' ORDER BY created_at, id LIMIT 10")).toMatch(/INDEX runs_by_step/);
    expect(plan('SELECT MIN(deadline) FROM runs WHERE deadline IS NOT NULL AND deadline > 5')).toMatch(/runs_by_deadline/);
    db.close();
  });
});
