#!/usr/bin/env node
// Gives every `description` of schemas/sop.schema.json that has code spans (`next`, `use: <id>`)
// a `markdownDescription` with the same text as Markdown, so editors render the code spans
// (yaml-language-server shows `description` as plain text, escaped: hover showed \`next\`).
//
// Rule: where a description has a code span, its markdownDescription is derived from it, always
// (write the Markdown in the description itself; this script keeps the copy). Where a
// description has none, a markdownDescription written by hand (e.g. with a YAML example) is kept.
// The file is edited in place, member by member, keeping its hand-made layout, so the script can
// run again after any merge: `pnpm run generate` runs it; `packages/lsp/test/markdownDescriptions.test.ts`
// fails when the schema is out of step.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas', 'sop.schema.json');

/** A description as Markdown: code spans kept as written, Markdown's own characters escaped elsewhere. */
export function toMarkdown(description) {
  let out = '';
  let i = 0;
  while (i < description.length) {
    if (description[i] === '`') {
      let run = 1;
      while (description[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      const close = description.indexOf(fence, i + run);
      if (close !== -1) {
        out += description.slice(i, close + run);
        i = close + run;
        continue;
      }
      out += '\\`'.repeat(run);
      i += run;
      continue;
    }
    const c = description[i];
    out += /[\\*_[\]<>]/.test(c) ? `\\${c}` : c;
    i++;
  }
  return out;
}

/** Whether a description has a code span (a closed pair of backticks). */
export const hasCodeSpan = (text) => /`[^`]+`/.test(text);

/**
 * Reads JSON text and returns every object with the positions of its members: a tiny
 * recursive-descent reader (the schema is JSON), so members can be edited in place.
 */
function objectsOf(text) {
  const objects = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const string = () => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return { start, end: i, value: JSON.parse(text.slice(start, i)) };
  };
  const value = () => {
    ws();
    const start = i;
    if (text[i] === '{') {
      const members = [];
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        objects.push({ start, end: i, members });
        return { start, end: i };
      }
      for (;;) {
        ws();
        const key = string();
        ws();
        i++; // :
        const v = value();
        members.push({ key: key.value, keyStart: key.start, valueStart: v.start, valueEnd: v.end, value: v.value });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // }
        break;
      }
      objects.push({ start, end: i, members });
      return { start, end: i };
    }
    if (text[i] === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return { start, end: i };
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++;
        break;
      }
      return { start, end: i };
    }
    if (text[i] === '"') return string();
    while (i < text.length && /[^,}\]\s]/.test(text[i])) i++;
    return { start, end: i };
  };
  value();
  return objects;
}

/** The schema text with every markdownDescription in step with its description. Idempotent. */
export function withMarkdownDescriptions(text) {
  const edits = [];
  for (const object of objectsOf(text)) {
    const description = object.members.find((m) => m.key === 'description' && typeof m.value === 'string');
    if (!description || !hasCodeSpan(description.value)) continue;
    const wanted = JSON.stringify(toMarkdown(description.value));
    const markdown = object.members.find((m) => m.key === 'markdownDescription');
    if (markdown) {
      if (text.slice(markdown.valueStart, markdown.valueEnd) !== wanted)
        edits.push({ start: markdown.valueStart, end: markdown.valueEnd, text: wanted });
      continue;
    }
    // right after the description, on a line of its own when the object spreads over lines
    const lineStart = text.lastIndexOf('\n', description.keyStart - 1) + 1;
    const before = text.slice(lineStart, description.keyStart);
    const ownLine = /^\s*$/.test(before);
    edits.push({
      start: description.valueEnd,
      end: description.valueEnd,
      text: ownLine ? `,\n${before}"markdownDescription": ${wanted}` : `, "markdownDescription": ${wanted}`,
    });
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = readFileSync(SCHEMA_FILE, 'utf8');
  const next = withMarkdownDescriptions(text);
  if (next !== text) writeFileSync(SCHEMA_FILE, next);
  const count = objectsOf(next).filter((o) => o.members.some((m) => m.key === 'markdownDescription')).length;
  console.log(
    `markdownDescriptions: schemas/sop.schema.json ${next === text ? 'already in step' : 'updated'} (${count} markdownDescription)`,
  );
}
