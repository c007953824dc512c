import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSop } from '@sopflow/core';
import { renderMermaid } from '@sopflow/render';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** The body of the first fenced block of `lang` after `heading`. */
function block(heading: string, lang: string): string {
  const section = readme.slice(readme.indexOf(heading));
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!match) throw new Error(`README has no ${lang} block after ${heading}`);
  return match[1]!;
}

describe('README', () => {
  it('Quick start holds exactly two one-line commands', () => {
    const commands = block('## Quick start', 'sh').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(commands).toEqual([
      'npx -y pnpm@10.34.9 install && npx -y pnpm@10.34.9 run examples',
      'npx -y pnpm@10.34.9 test',
    ]);
  });

  it('its example SOP is valid and its diagram is what renderMermaid draws for it', () => {
    const { sop, diagnostics } = loadSop(block('## An SOP', 'yaml'), { file: 'README.md', today: '2026-11-24' });
    expect(diagnostics).toEqual([]);
    expect(block('## An SOP', 'mermaid')).toBe(renderMermaid(sop!));
  });
});
