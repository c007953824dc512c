import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { proceduresBeside, type SourceFile } from '../src/proceduresBeside.js';

const sop = (id: string, use?: string) => `sopflow: 1\nid: ${id}\ntitle: T\ninstructions:\n${use ? `  - use: ${use}\n` : ''}  - do: x\n`;

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the files into a fresh folder; returns those named in `given` as SourceFiles. */
function folder(files: Record<string, string>, given: string[]): SourceFile[] {
  dir = mkdtempSync(path.join(tmpdir(), 'sopflow-beside-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return given.map((name) => ({ file: path.join(dir, name), text: files[name]! }));
}
const read = (file: string) => readFileSync(file, 'utf8');
const names = (found: SourceFile[]) => found.map((f) => path.basename(f.file)).sort();

describe('proceduresBeside', () => {
  it('takes nothing from beside when a given file named after the used id declares it', () => {
    const given = folder({ 'a.sop.yaml': sop('a', 'b'), 'b.sop.yaml': sop('b'), 'other.sop.yaml': sop('b') }, ['a.sop.yaml', 'b.sop.yaml']);
    expect(proceduresBeside(given, read)).toEqual([]);
  });

  it('takes nothing when a given file declares the id under another name (every given file is read then)', () => {
    const given = folder({ 'a.sop.yaml': sop('a', 'b'), 'second.sop.yaml': sop('b'), 'b.sop.yaml': sop('b') }, [
      'a.sop.yaml',
      'second.sop.yaml',
    ]);
    expect(proceduresBeside(given, read)).toEqual([]);
  });

  it('looks beside when the given file named after the id declares another one', () => {
    const given = folder({ 'a.sop.yaml': sop('a', 'b'), 'b.sop.yaml': sop('not-b'), 'real.sop.yaml': sop('b') }, [
      'a.sop.yaml',
      'b.sop.yaml',
    ]);
    expect(names(proceduresBeside(given, read))).toEqual(['real.sop.yaml']);
  });

  it('follows what a procedure found beside uses in turn, and an id it declares counts as given', () => {
    const given = folder({ 'a.sop.yaml': sop('a', 'b'), 'b.sop.yaml': sop('b', 'c'), 'c.sop.yaml': sop('c', 'b') }, ['a.sop.yaml']);
    expect(names(proceduresBeside(given, read))).toEqual(['b.sop.yaml', 'c.sop.yaml']);
  });
});
