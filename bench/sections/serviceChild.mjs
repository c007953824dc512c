// The service section's server process: a SQLite host and the HTTP server (the built packages),
// serving a looping bench SOP. `node serviceChild.mjs serve <db>` prints `listening <url>`;
// `node serviceChild.mjs direct <db> <runs> <moves> <rounds>` makes the same moves on the host in
// process (no HTTP: the peer) and prints JSON { rates, p50, p99 }.
import { loadPackage } from '../lib/api.mjs';

const [mode, db, ...rest] = process.argv.slice(2);
const { toMachineConfig } = await loadPackage('compiler');
const { SqliteHost } = await loadPackage('host-sqlite');
const { createSopServer } = await loadPackage('server');

/** A call-centre loop that never ends: record, confirm, decide, back to the start. */
export const BENCH_SOP = {
  sopflow: 1,
  id: 'bench-desk',
  title: 'Bench desk',
  version: '1.0.0',
  fields: { note: { type: 'string', label: 'Note' } },
  instructions: [
    { id: 'take', do: 'Take the next call.', role: 'CSR' },
    { id: 'note', do: 'Write a note.', record: ['note'] },
    {
      id: 'decide',
      ask: 'Resolved?',
      choices: [
        { answer: 'Yes', next: 'take' },
        { answer: 'No', next: 'note' },
      ],
    },
  ],
};

const host = new SqliteHost({ file: db, sops: [toMachineConfig(BENCH_SOP)] });
if (mode === 'serve') {
  const server = createSopServer({ host, rateLimit: 0 });
  const { url } = await server.listen({ port: 0 });
  process.stdout.write(`listening ${url}\n`);
  process.on('SIGTERM', async () => {
    await server.close();
    await host.close();
    process.exit(0);
  });
} else {
  const [runs, moves, rounds] = rest.map(Number);
  const ids = [];
  for (let i = 0; i < runs; i++) ids.push((await host.start('bench-desk')).id);
  const revision = new Map(ids.map((id) => [id, 1]));
  const out = { rates: [], p50: [], p99: [] };
  let k = 0;
  for (let round = 0; round < rounds + 1; round++) {
    const lat = [];
    const t0 = performance.now();
    for (let m = 0; m < moves; m++) {
      const id = ids[k++ % ids.length];
      const t = performance.now();
      const r = await host.move(id, { complete: true }, { expect: { revision: revision.get(id) } }).catch(async (error) => {
        if (error.code !== 'not-a-decision' && error.code !== 'needs-answer') throw error;
        return host.move(id, { choose: 'Yes' }, { expect: { revision: revision.get(id) } });
      });
      revision.set(id, r.revision);
      lat.push(performance.now() - t);
    }
    const ms = performance.now() - t0;
    if (round === 0) continue; // warm-up
    lat.sort((a, b) => a - b);
    out.rates.push((moves / ms) * 1000);
    out.p50.push(lat[Math.floor(lat.length * 0.5)]);
    out.p99.push(lat[Math.floor(lat.length * 0.99)]);
  }
  await host.close();
  process.stdout.write(JSON.stringify(out));
}
