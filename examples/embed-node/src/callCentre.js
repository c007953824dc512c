// A tiny call-centre back end that runs an SOP on a run host (@sopflow/host-sqlite).
//
// The host keeps every call in one SQLite file, so the app has no persistence code of its own:
// no snapshot files, no revision checks, no timers to re-arm after a restart. Named actions of
// the SOP are bound to the app: `crm.*` to an in-memory CRM, everything else to an outbox of
// messages.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { validateProject, hasErrors } from '@sopflow/core';
import { toMachineConfig } from '@sopflow/compiler';
import { SqliteHost } from '@sopflow/host-sqlite';

/** Loads every SOP in a folder and compiles one of them (with the procedures it runs) to JSON. */
export async function compileFromFolder(folder, id) {
  const names = (await readdir(folder)).filter((f) => f.endsWith('.sop.yaml'));
  const files = await Promise.all(names.map(async (f) => ({ file: f, text: await readFile(path.join(folder, f), 'utf8') })));
  const { results, procedures } = validateProject(files);
  const errors = results.flatMap((r) => r.diagnostics).filter((d) => d.severity === 'error');
  if (hasErrors(errors))
    throw new Error(`the SOPs have errors:\n${errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`);
  const sop = procedures.get(id);
  if (!sop) throw new Error(`no SOP with id ${id} in ${folder}`);
  return toMachineConfig(sop, { procedures: Object.fromEntries(procedures) });
}

/** The in-memory CRM the `crm.*` actions write to. */
export function createCrm() {
  const customers = new Map();
  const record = (id) => {
    if (!customers.has(id)) customers.set(id, { notes: [], tickets: [] });
    return customers.get(id);
  };
  return {
    customers,
    findCustomer: (id) => record(id),
    saveNotes: (id, note) => record(id).notes.push(note),
    openTicket: (id, ticket) => record(id).tickets.push(ticket),
  };
}

/**
 * The app, on a run host: `start(callId)` opens a run, `act(callId, move, agent)` makes one move,
 * `view(callId)` says where it stands. The host keeps every call in one SQLite file (`file`):
 * revisions so two clicks never move a call twice, the hold limit firing with no one holding
 * the call (and at start-up when it passed while the app was down), and the CRM writes in an
 * outbox, run after each move and retried. `restart()` closes the host and opens it again on
 * the same file, as a new process would. `clock` is for tests and demos (a SimulatedClock); a
 * real app passes nothing and the host uses real time.
 */
export function createCallCentre({ config, file, clock, crm = createCrm() }) {
  const outbox = [];
  const customerOf = (data) => String(data.customer_number ?? 'unknown');
  // Every named action the SOP (or a procedure it runs) uses must be bound, or the host refuses to start it.
  const actions = {};
  for (const name of config.meta.sopflow.actions) {
    actions[name] = ({ action, step, sop, key }) => {
      outbox.push({ action, step, sop, key });
    };
  }
  actions['crm.find-customer'] = ({ data }) => {
    crm.findCustomer(customerOf(data));
  };
  actions['crm.save-notes'] = ({ data, step }) => {
    crm.saveNotes(customerOf(data), { step, ...data });
  };
  actions['crm.open-ticket'] = ({ data, step }) => {
    crm.openTicket(customerOf(data), { step, ...data });
  };

  const open = () => new SqliteHost({ file, sops: [config], actions, ...(clock ? { clock } : {}) });
  let host = open();
  const result = async (callId) => {
    const run = await host.get(callId, { journal: true });
    return { view: run.view, status: run.status, outcome: run.outcome, journal: run.journal, revision: run.revision };
  };

  return {
    crm,
    outbox,
    get host() {
      return host;
    },
    async start(callId) {
      return (await host.start(config.meta.sopflow.id, { id: callId, meta: { call: callId } })).view;
    },
    /** `move` is { complete: true } | { choose: answer } | { record: { field: value } } |
     *  { signal: name }; `agent` is who makes it (journaled as `by`) */
    async act(callId, move, agent) {
      await host.move(callId, move, agent === undefined ? {} : { by: { id: agent } });
      return result(callId);
    },
    /** what the screen shows now (a time limit may have fired since the last move) */
    view: result,
    /** closes the host (waiting for actions under way), runs `whileDown`, and opens it again on
     *  the same file, as a new process would */
    async restart(whileDown = () => {}) {
      await host.close();
      await whileDown();
      host = open();
    },
    close: () => host.close(),
  };
}
