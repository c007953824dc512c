import { describe, expect, it } from 'vitest';
import { validateProject } from '@sopflow/core';
import { prescanSop } from '../src/prescanSop.js';
import { partition, runChunkHere, validateInParallel, type ProjectFile } from '../src/validateInParallel.js';
import { threadsFor } from '../src/validateFiles.js';

const TODAY = '2026-06-01';

function sop(id: string, extra: { use?: string; outcomes?: string; end?: string } = {}): string {
  const steps = extra.use ? `  - id: sub\n    use: ${extra.use}\n    outcomes:\n      ${extra.outcomes ?? 'resolved'}: done\n` : '';
  return `sopflow: 1\nid: ${id}\ntitle: Procedure ${id}\ndepartment: Support\npurpose: Help the caller.\ninstructions:\n${steps}  - id: work\n    do: Help the caller.\n  - id: done\n    end: ${extra.end ?? 'resolved'}\n`;
}

/** A project mixing independent files, chains of `use:`, broken files and every cross-file rule. */
function corpus(): ProjectFile[] {
  const files: ProjectFile[] = [];
  for (let i = 0; i < 30; i++) files.push({ file: `plain-${String(i).padStart(2, '0')}.sop.yaml`, text: sop(`plain-${i}`) });
  files.push({ file: 'chain-a.sop.yaml', text: sop('chain-a', { use: 'chain-b' }) });
  files.push({ file: 'chain-b.sop.yaml', text: sop('chain-b', { use: 'chain-c', outcomes: 'refunded' }) });
  files.push({ file: 'chain-c.sop.yaml', text: sop('chain-c', { end: 'refunded' }) });
  files.push({ file: 'broken.sop.yaml', text: 'sopflow: 1\nid: broken\ninstructions: [\n' });
  files.push({ file: 'garbage.sop.yaml', text: '\u0000\u0001 {{{ ]]] ::: \u00ff' });
  files.push({ file: 'empty.sop.yaml', text: '' });
  return files.sort((a, b) => (a.file < b.file ? -1 : 1));
}

function serial(inputs: ProjectFile[]) {
  return validateProject(inputs, { today: TODAY }).diagnostics;
}

const inProcess = { runChunk: (request: Parameters<typeof runChunkHere>[0]) => runChunkHere(request) };

describe('prescanSop', () => {
  it('reads a plain top-level id and every use', () => {
    expect(prescanSop(sop('call', { use: 'billing' }))).toEqual({ ids: ['call'], uses: ['billing'], certain: true });
    expect(prescanSop('id: "quoted"\r\ninstructions:\n  - { use: x, outcomes: { a: b } }\n')).toEqual({
      ids: ['quoted'],
      uses: ['x'],
      certain: true,
    });
  });

  it('is not certain of ids written some other way', () => {
    for (const text of [
      '"id": x\n',
      '{id: x}\n',
      'id: &a x\n',
      'id: x\nid: y\n',
      'id: "a\\x62"\n',
      '%YAML 1.1\n---\nid: x\n',
      '<<: {id: x}\nid: y\n',
      '? id\n: x\n',
    ]) {
      expect(prescanSop(text).certain, text).toBe(false);
    }
  });

  it('is certain there is no id in a file without one', () => {
    expect(prescanSop('')).toEqual({ ids: [], uses: [], certain: true });
    expect(prescanSop('- a\n- b\n').certain).toBe(true);
    expect(prescanSop('title: x\n  - id: step\n').certain).toBe(false);
  });
});

describe('partition', () => {
  it('keeps linked files together, balances the rest and keeps input order', () => {
    const inputs = corpus();
    const scans = inputs.map((f) => prescanSop(f.text));
    const groups = partition(inputs, scans, 3);
    expect(groups).toHaveLength(3);
    expect(groups.flat().sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i));
    const groupOf = (name: string) => groups.findIndex((g) => g.some((i) => inputs[i]!.file === name));
    expect(groupOf('chain-a.sop.yaml')).toBe(groupOf('chain-b.sop.yaml'));
    expect(groupOf('chain-b.sop.yaml')).toBe(groupOf('chain-c.sop.yaml'));
    for (const g of groups) expect([...g].sort((a, b) => a - b)).toEqual(g);
    const sizes = groups.map((g) => g.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(8);
  });

  it('puts files that share an id together', () => {
    const inputs = [
      { file: 'a', text: sop('same') },
      { file: 'b', text: sop('other') },
      { file: 'c', text: sop('same') },
    ];
    const groups = partition(
      inputs,
      inputs.map((f) => prescanSop(f.text)),
      2,
    );
    expect(groups).toContainEqual([0, 2]);
  });
});

describe('validateInParallel', () => {
  it('gives exactly the diagnostics of one run over all files, in parallel, whatever the thread count', async () => {
    const inputs = corpus();
    for (const threads of [2, 3, 4, 7]) {
      const out = await validateInParallel(inputs, { today: TODAY, threads, ...inProcess });
      expect(out.diagnostics).toEqual(serial(inputs));
      expect(out.parallel).toBe(true);
    }
  });

  it('validates everything again on one thread when a cross-file diagnostic appears', async () => {
    const inputs = [
      ...corpus(),
      { file: 'z-missing.sop.yaml', text: sop('z-missing', { use: 'nowhere' }) },
      { file: 'z-dup.sop.yaml', text: sop('plain-3') },
    ];
    const out = await validateInParallel(inputs, { today: TODAY, threads: 3, ...inProcess });
    expect(out.parallel).toBe(false);
    expect(out.diagnostics).toEqual(serial(inputs));
    expect(out.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['missing-procedure', 'duplicate-procedure']));
  });

  it('validates everything again when a link was hidden from the scan', async () => {
    // an escape in a quoted `use`: the scan reads `plain\x2d4`, the SOP says `plain-4`
    const inputs = [...corpus(), { file: 'q.sop.yaml', text: sop('q', { use: '"plain\\x2d4"' }) }];
    expect(prescanSop(inputs.at(-1)!.text).uses).toEqual(['plain\\x2d4']);
    const out = await validateInParallel(inputs, { today: TODAY, threads: 2, ...inProcess });
    expect(out.parallel).toBe(false);
    expect(out.diagnostics).toEqual(serial(inputs));
    expect(out.diagnostics.filter((d) => d.file === 'q.sop.yaml')).toEqual([]);
  });

  it('falls back to one thread when run from the sources, where no built worker exists', async () => {
    const inputs = corpus();
    expect(await validateInParallel(inputs, { today: TODAY, threads: 2 })).toEqual({ diagnostics: serial(inputs), parallel: false });
  });

  it('falls back to one thread when a worker fails', async () => {
    const inputs = corpus();
    const out = await validateInParallel(inputs, {
      today: TODAY,
      threads: 2,
      runChunk: (request, index) => (index === 0 ? runChunkHere(request) : Promise.reject(new Error('worker died'))),
    });
    expect(out).toEqual({ diagnostics: serial(inputs), parallel: false });
  });
});

describe('threadsFor', () => {
  it('uses one thread below 200 files, and above that one per idle core but one (left to V8)', () => {
    const idle = { cores: 4, load: 0.1 };
    expect(threadsFor(10, {}, idle)).toBe(1);
    expect(threadsFor(1000, {}, idle)).toBe(3);
    expect(threadsFor(1000, {}, { cores: 4, load: 1.2 })).toBe(2);
    // two idle cores: one thread (two were measured slower there)
    expect(threadsFor(1000, {}, { cores: 2, load: 0 })).toBe(1);
    expect(threadsFor(1000, {}, { cores: 2, load: 0.9 })).toBe(1);
    expect(threadsFor(1000, {}, { cores: 2, load: 7 })).toBe(1);
    expect(threadsFor(1000, {}, { cores: 16, load: 0 })).toBe(4);
    expect(threadsFor(1000, {}, { cores: 1, load: 0 })).toBe(1);
  });

  it('obeys SOPFLOW_THREADS', () => {
    expect(threadsFor(1000, { SOPFLOW_THREADS: '1' }, { cores: 8, load: 0 })).toBe(1);
    expect(threadsFor(5, { SOPFLOW_THREADS: '3' }, { cores: 1, load: 9 })).toBe(3);
    expect(threadsFor(5, { SOPFLOW_THREADS: 'lots' }, { cores: 8, load: 0 })).toBe(1);
  });
});
