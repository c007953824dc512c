// A tiny call-centre back end that embeds an SOP with @sopflow/runtime.
//
// Each request restores the call's run from its JSON file, makes one move, and saves it
// again, as a stateless web server would. Named actions of the SOP are bound to the app:
// `crm.*` to an in-memory CRM, everything else to an outbox of messages.
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { validateProject, hasErrors } from '@sopflow/core';
import { toMachineConfig } from '@sopflow/compiler';
import { startRun } from '@sopflow/runtime';

/** Loads every SOP in a folder and compiles one of them (with the procedures it runs) to JSON. */
export async function compileFromFolder(folder, id) {
  const names = (await readdir(folder)).filter((f) => f.endsWith('.sop.yaml'));
  const files = await Promise.all(names.map(async (f) => ({ file: f, text: await readFile(path.join(folder, f), 'utf8') })));
  const { results, procedures } = validateProject(files);
  const errors = results.flatMap((r) => r.diagnostics).filter((d) => d.severity === 'error');
  if (hasErrors(errors)) throw new Error(`the SOPs have errors:\n${errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`);
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
 * The app: `start(callId)` opens a run, `act(callId, move)` makes one move, both persisting the
 * run to `<folder>/<callId>.json`. `clock` is for tests and demos (a SimulatedClock); a real
 * app passes nothing and the runtime uses real time.
 */
export function createCallCentre({ config, folder, clock, crm = createCrm() }) {
  const outbox = [];
  const customerOf = (data) => String(data.customer_number ?? 'unknown');
  // Every named action the SOP (or a procedure it runs) uses must be bound, or startRun throws.
  const actions = {};
  for (const name of config.meta.sopflow.actions) {
    actions[name] = ({ action, step, sop }) => outbox.push({ action, step, sop });
  }
  actions['crm.find-customer'] = ({ data }) => crm.findCustomer(customerOf(data));
  actions['crm.save-notes'] = ({ data, step }) => crm.saveNotes(customerOf(data), { step, ...data });
  actions['crm.open-ticket'] = ({ data, step }) => crm.openTicket(customerOf(data), { step, ...data });

  const file = (callId) => path.join(folder, `${callId}.json`);
  const options = clock ? { actions, clock } : { actions };

  async function save(callId, run) {
    await mkdir(folder, { recursive: true });
    await writeFile(file(callId), JSON.stringify(run.persist(), null, 2));
    run.stop(); // this request is done with it: its timers go, the file holds everything
  }

  async function load(callId) {
    const snapshot = JSON.parse(await readFile(file(callId), 'utf8'));
    return startRun(config, { ...options, snapshot }); // re-arms a pending time limit
  }

  return {
    crm,
    outbox,
    async start(callId) {
      const run = startRun(config, options);
      const view = run.view();
      await save(callId, run);
      return view;
    },
    /** `move` is { complete: true } | { choose: answer } | { record: { field: value } } |
     *  { signal: name }; `agent` is who makes it (journaled as `by`) */
    async act(callId, move, agent) {
      const run = await load(callId);
      run.move(agent === undefined ? move : { ...move, by: agent });
      const view = run.view();
      const result = { view, status: run.status, outcome: run.outcome, journal: run.journal };
      await save(callId, run);
      return result;
    },
    /** what the screen shows now (a time limit may have fired since the last move) */
    async view(callId) {
      const run = await load(callId);
      const result = { view: run.view(), status: run.status, outcome: run.outcome, journal: run.journal };
      await save(callId, run);
      return result;
    },
  };
}
