// `pnpm start`: one inbound call handled by an agent through the call-centre app.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SimulatedClock, summarizeJournal } from '@sopflow/runtime';
import { compileFromFolder, createCallCentre } from './callCentre.js';

const EXAMPLES = fileURLToPath(new URL('../../customer-service/', import.meta.url));

export async function main({ folder, log = console.log } = {}) {
  const config = await compileFromFolder(EXAMPLES, 'inbound-call');
  const runs = folder ?? (await mkdtemp(path.join(tmpdir(), 'sopflow-calls-')));
  const file = path.join(runs, 'calls.db');
  // A simulated clock so the demo need not wait a real minute on hold; a real app passes none.
  const clock = new SimulatedClock();
  clock.set(Date.parse('2026-05-04T09:00:00Z'));
  const app = createCallCentre({ config, file, clock });
  const show = ({ view }) =>
    log(
      view.done
        ? `   -> run ended: ${view.outcome}`
        : `   -> now at "${view.step}" (${view.kind})${view.limit ? `, ${view.limit.remaining / 1000} s left` : ''}`,
    );

  log(`Call 42 on "${config.meta.sopflow.title}" (version ${config.meta.sopflow.version}); runs kept in ${file}`);
  show({ view: await app.start('call-42') });
  for (const [say, move] of [
    ['answer the call', { complete: true }],
    ['greet the caller', { complete: true }],
    ['record who is calling and why', { record: { customer_number: 'C-1001', issue: 'technical' } }],
    ['customer found', { complete: true }],
    ['I can help them myself', { choose: 'I can help them myself' }],
  ]) {
    log(`agent: ${say}`);
    show(await app.act('call-42', move, 'agent-ana'));
  }

  log('... the caller is on hold; the server restarts; 65 seconds pass ...');
  // the host closes (its file holds everything), the wait passes while it is down, and as it
  // opens again the 60 s hold limit that passed meanwhile fires at once
  await app.restart(() => clock.increment(65_000));
  const back = await app.view('call-42');
  show(back);

  for (const [say, move] of [
    ['apologise for the wait', { complete: true }],
    ['they will hold', { choose: 'Yes, they will hold' }],
    ['found the fix', { complete: true }],
    ['fixed and confirmed', { complete: true }],
    ['set the disposition', { record: { disposition: 'resolved' } }],
    ['notes written', { complete: true }],
  ]) {
    log(`agent: ${say}`);
    show(await app.act('call-42', move, 'agent-ana'));
  }

  await app.restart(); // closing waits for the actions under way (the CRM notes of the last step)
  const final = await app.view('call-42');
  await app.close();
  const summary = summarizeJournal(final.journal);
  log(`Outcome: ${final.outcome}`);
  log(
    `Time per segment: ${Object.entries(summary.perSegment)
      .map(([s, ms]) => `${s} ${ms / 1000} s`)
      .join(', ')}`,
  );
  log(`CRM C-1001: ${JSON.stringify(app.crm.customers.get('C-1001'))}`);
  log(`Outbox: ${JSON.stringify(app.outbox)}`);
  return { outcome: final.outcome, journal: final.journal, crm: app.crm, outbox: app.outbox, folder: runs, file };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
