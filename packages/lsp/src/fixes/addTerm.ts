import type { FixContext, QuickFix } from './QuickFix.js';

const ACRONYM = /^[\p{Lu}\p{N}_]+$/u;

/**
 * "Add `CRM` to `terms`" for `undefined-term`. The entry is written with an empty meaning
 * (`CRM: ""`), which the schema rejects, so the file shows exactly where the meaning goes
 * instead of passing with a placeholder nobody filled in. Core's fixes replace a value or a
 * key at a document path; adding a key to a mapping (or the `terms` mapping itself) is an
 * insertion that its fix model has no way to say, so this one is computed here from the
 * document's outline.
 */
export function addTerm(ctx: FixContext): QuickFix[] {
  if (ctx.diagnostic.code !== 'undefined-term') return [];
  const word = ctx.doc.getText(ctx.range);
  if (!ACRONYM.test(word)) return [];
  const outline = ctx.outline();
  if (!outline.parsed) return [];
  const text = outline.text;
  const entry = `${word}: ""`;
  const at = (offset: number) => ctx.doc.positionAt(offset);
  const insert = (offset: number, newText: string): QuickFix[] => [
    {
      title: `Add \`${word}\` to \`terms\``,
      edits: [{ range: { start: at(offset), end: at(offset) }, newText }],
    },
  ];
  const terms = outline.termsNode;
  if (terms && terms.flow && terms.value) {
    const last = terms.items[terms.items.length - 1];
    if (last) return insert(last.end, `, ${entry}`);
    const open = text.indexOf('{', terms.value.start);
    return open === -1 ? [] : insert(open + 1, ` ${entry} `);
  }
  if (terms && terms.items.length > 0) {
    const first = terms.items[0]!;
    const indent = first.start - (text.lastIndexOf('\n', first.start - 1) + 1);
    const last = terms.items[terms.items.length - 1]!;
    // after the last entry's line (a block scalar's span already ends with its line break)
    if (text[last.end - 1] === '\n') return insert(last.end, `${' '.repeat(indent)}${entry}\n`);
    let end = text.indexOf('\n', last.end);
    if (end === -1) end = text.length;
    if (text[end - 1] === '\r') end--;
    return insert(end, `${eol(text)}${' '.repeat(indent)}${entry}`);
  }
  if (terms) {
    // `terms:` with nothing after it
    let end = text.indexOf('\n', terms.key.end);
    if (end === -1) end = text.length;
    if (text[end - 1] === '\r') end--;
    const after = text.slice(terms.key.end, end);
    if (!/^[ \t]*:[ \t]*(?:~|null)?[ \t]*(?:#.*)?$/.test(after)) return [];
    return [
      {
        title: `Add \`${word}\` to \`terms\``,
        edits: [{ range: { start: at(terms.key.end), end: at(end) }, newText: `:${eol(text)}  ${entry}` }],
      },
    ];
  }
  // no `terms` yet: a new block before `fields` or `instructions` (where the format puts it)
  const before = outline.topKeys.find((k) => k.name === 'fields' || k.name === 'instructions');
  if (before) {
    const lineStart = text.lastIndexOf('\n', before.span.start - 1) + 1;
    if (text.slice(lineStart, before.span.start).trim() !== '') return [];
    return insert(lineStart, `terms:${eol(text)}  ${entry}${eol(text)}`);
  }
  return [];
}

const eol = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');
