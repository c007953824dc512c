// The customer-service SOPs on Restate, from a fresh clone: this process serves the sopflow
// endpoint (registered with Restate's admin API) and is the API too. It starts an inbound call,
// takes the agent's moves, and prints each step; the run lives in Restate, not here.
//
//   node try.mjs [--restate http://127.0.0.1:8080] [--admin http://127.0.0.1:9070] [--endpoint-port 9080]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadSop } from '@sopflow/core';
import { toMachineConfig } from '@sopflow/compiler';
import { RestateHost } from '@sopflow/host-restate';

const { values: args } = parseArgs({
  options: {
    restate: { type: 'string', default: 'http://127.0.0.1:8080' },
    admin: { type: 'string', default: 'http://127.0.0.1:9070' },
    'endpoint-port': { type: 'string', default: '9080' },
  },
});

// every SOP of the folder, each compiled with the others as its procedures
const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), '../customer-service');
const sops = readdirSync(folder)
  .filter((f) => f.endsWith('.sop.yaml'))
  .map((f) => {
    const { sop, diagnostics } = loadSop(readFileSync(path.join(folder, f), 'utf8'), { file: f });
    if (!sop || diagnostics.some((d) => d.severity === 'error')) throw new Error(`${f} has errors`);
    return sop;
  });
const procedures = Object.fromEntries(sops.map((s) => [s.id, s]));
const configs = sops.map((sop) => toMachineConfig(sop, { procedures }));

// the CRM: here, a line on the console (an action gets an idempotency key: a CRM drops repeats)
const actions = {};
for (const name of new Set(configs.flatMap((c) => c.meta.sopflow.actions))) {
  actions[name] = (call) => console.log(`  CRM ${call.action} (key ${call.key}) for ${JSON.stringify(call.meta)}`);
}

const host = await RestateHost.open({
  ingress: args.restate,
  admin: args.admin,
  endpoint: { port: Number(args['endpoint-port']), actions },
  sops: configs,
});
console.log(`endpoint ${host.endpointUrl} registered with ${args.admin}; ${configs.length} SOPs published`);

const show = (r) =>
  console.log(
    `rev ${r.revision}  ${r.status === 'active' ? `${r.view.step}: ${r.view.text.split('\n')[0].slice(0, 70)}` : `${r.status}, outcome ${r.outcome}`}`,
  );
const ana = { id: 'ana', roles: ['CSR'] };
let run = await host.start('inbound-call', { meta: { ticket: 'T-1042' }, by: ana });
console.log(`run ${run.id} of ${run.sop.id} ${run.sop.version}`);
show(run);
const moves = [
  { complete: true },
  { complete: true },
  { record: { customer_number: 'C-1042', issue: 'billing' } },
  { complete: true },
  { choose: 'I can help them myself' },
  { complete: true },
  { complete: true },
  { record: { disposition: 'resolved' } },
  { complete: true },
];
for (const move of moves) {
  // each move expects the revision the agent saw: a change in between (another agent's move, a
  // fired limit, an action's result) refuses it as stale, and the agent looks again
  try {
    run = await host.move(run.id, { ...move, by: ana }, { expect: { revision: run.revision } });
  } catch (error) {
    if (error.code !== 'stale') throw error;
    run = await host.get(run.id);
    console.log(`  (stale: the run is at revision ${run.revision} now, ${run.view.step}; move again)`);
    run = await host.move(run.id, { ...move, by: ana }, { expect: { revision: run.revision } });
  }
  show(run);
}
const waiting = await host.list({ status: 'active', role: 'CSR' });
console.log(`runs waiting on a CSR: ${waiting.runs.length}`);
const { journal } = await host.get(run.id, { journal: true });
console.log(`outcome: ${run.outcome}; ${journal.length} journal entries in Restate`);
await host.close();
