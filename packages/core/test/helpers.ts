import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { TextEdit } from '@sopflow/model';
import { loadSop, type Diagnostic } from '../src/index.js';

export const TODAY = '2026-01-01';

/** Loads an SOP written as lines (joined with \n). */
export function load(text: string, file = 'test.sop.yaml') {
  return loadSop(text, { file, today: TODAY });
}

/** `code line:col` for each diagnostic: compact and readable in assertions. */
export const where = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.line}:${d.column}`);

export const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

/** A minimal valid SOP header. */
export const HEAD = 'sopflow: 1\nid: test\ntitle: A test procedure\n';

/** For debugging: each diagnostic with its source line and a caret. */
export function carets(text: string, ds: Diagnostic[]): string {
  const lines = text.split('\n');
  return ds.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}\n  ${lines[d.line - 1]}\n  ${' '.repeat(d.column - 1)}^`).join('\n');
}

/** Applies one fix's edits to the text (edits of one fix never overlap; applied from the end). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (line: number, column: number) => starts[line - 1]! + column - 1;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.line, b.column) - offset(a.line, a.column))) {
    out = out.slice(0, offset(e.line, e.column)) + e.newText + out.slice(offset(e.endLine, e.endColumn));
  }
  return out;
}

/** Every `*.sop.yaml` under `dir` (node_modules and dot-folders skipped). */
export function sopFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sopFiles(full));
    else if (entry.name.endsWith('.sop.yaml')) out.push(full);
  }
  return out;
}
