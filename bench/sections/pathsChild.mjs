// Child process: `sopflow paths` work (findPaths) on two shapes that used to hang or overflow:
// a 5,000-step chain, and 200 steps with a two-way decision every 10 (2^20 paths: it must stop
// at its 10,000-path cap quickly). Prints JSON on stdout.
//   node pathsChild.mjs <rounds>
import { loadPackage, need } from '../lib/api.mjs';

const rounds = Number(process.argv[2] ?? 3);
const runtime = await loadPackage('runtime');
const findPaths = need(runtime, 'runtime', 'findPaths');

function chain(n) {
  const instructions = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, do: `Step ${i + 1}.` }));
  instructions.push({ id: 'end', end: 'done' });
  return { sopflow: 1, id: 'chain', title: 'A long chain', instructions };
}

function branching(n, every) {
  const instructions = [];
  for (let i = 0; i < n; i++) {
    const id = `s${i}`;
    const next = i + 1 < n ? `s${i + 1}` : 'end';
    if (i % every === every - 1)
      instructions.push({
        id,
        ask: 'Which way?',
        choices: [
          { answer: 'Left', next },
          { answer: 'Right', next },
        ],
      });
    else instructions.push({ id, do: `Step ${i + 1}.`, next });
  }
  instructions.push({ id: 'end', end: 'done' });
  return { sopflow: 1, id: 'branching', title: 'Many branches', instructions };
}

const cases = { chain: chain(5000), branching: branching(200, 10) };
const out = {};
for (const [name, sop] of Object.entries(cases)) {
  out[name] = { ms: [], paths: 0 };
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const paths = findPaths(sop);
    out[name].ms.push(performance.now() - t);
    out[name].paths = paths.length;
  }
}
process.stdout.write(JSON.stringify(out));
