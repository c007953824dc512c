// Writes the benchmark corpora into bench/.corpus/ (gitignored), deterministically from a seed.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deriveSeed } from './prng.mjs';
import { generateSop, toYaml } from './generateSop.mjs';

export const DEFAULT_SEED = 20261124;

/** Sizes of each corpus: the full benchmark and the quick mode used by tests. */
export const PLANS = {
  full: { ciFiles: 1000, ciSteps: [36, 44], scale: [1000, 10000, 50000], smallSteps: 12 },
  quick: { ciFiles: 20, ciSteps: [36, 44], scale: [200, 1000, 2000], smallSteps: 12 },
};

const pad = (n, width) => String(n).padStart(width, '0');

/**
 * Generates every corpus in memory: `{ relativePath: yamlText }`, sorted by path.
 * Same seed and plan -> same bytes.
 */
export function generateCorpus({ seed = DEFAULT_SEED, plan = PLANS.full } = {}) {
  const files = {};
  const width = String(plan.ciFiles).length;
  const ci = [];
  for (let i = 0; i < plan.ciFiles; i++) {
    const fileSeed = deriveSeed(seed, i);
    const id = `sop-${pad(i + 1, width)}`;
    const [lo, hi] = plan.ciSteps;
    const steps = lo + (fileSeed % (hi - lo + 1));
    // one SOP in five uses an earlier one as a sub-procedure (cross-file check)
    const procedures = i >= 10 && fileSeed % 5 === 0 ? [ci[(fileSeed >>> 8) % ci.length]] : [];
    const sop = generateSop({ id, steps, seed: fileSeed, procedures });
    ci.push({ id });
    files[`ci/${id}.sop.yaml`] = toYaml(sop);
  }
  files['small/inbound-call.sop.yaml'] = toYaml(
    generateSop({ id: 'inbound-call', steps: plan.smallSteps, seed: deriveSeed(seed, 1e6), title: 'Handling an inbound support call' }),
  );
  for (const size of plan.scale) {
    files[`scale/steps-${size}.sop.yaml`] = toYaml(generateSop({ id: `scale-${size}`, steps: size, seed: deriveSeed(seed, 2e6 + size) }));
  }
  return files;
}

/** sha256 over every path and its bytes, in path order. */
export function corpusDigest(files) {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) hash.update(name).update('\0').update(files[name]).update('\0');
  return hash.digest('hex');
}

/**
 * Writes the corpus to `dir` (replacing what was there) and returns its description:
 * `{ dir, seed, digest, ciDir, ciFiles, smallFile, scaleFiles: { [size]: path }, bytes }`.
 */
export function writeCorpus({ dir, seed = DEFAULT_SEED, plan = PLANS.full }) {
  const files = generateCorpus({ seed, plan });
  rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
  }
  const digest = corpusDigest(files);
  const info = {
    dir,
    seed,
    digest,
    bytes,
    ciDir: path.join(dir, 'ci'),
    ciFiles: Object.keys(files).filter((f) => f.startsWith('ci/')).length,
    ciBytes: Object.entries(files)
      .filter(([f]) => f.startsWith('ci/'))
      .reduce((n, [, t]) => n + Buffer.byteLength(t), 0),
    smallFile: path.join(dir, 'small/inbound-call.sop.yaml'),
    scaleFiles: Object.fromEntries(plan.scale.map((size) => [size, path.join(dir, `scale/steps-${size}.sop.yaml`)])),
  };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...info, dir: undefined, ciDir: undefined }, null, 2) + '\n');
  return info;
}
