import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSop } from '@sopflow/core';
import { renderMermaid } from '@sopflow/render';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The body of the first fenced block of `lang` after `heading`. */
function block(heading: string, lang: string): string {
  const section = readme.slice(readme.indexOf(heading));
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!match) throw new Error(`README has no ${lang} block after ${heading}`);
  return match[1]!;
}

describe('README', () => {
  it('Quick start holds exactly two one-line commands', () => {
    const commands = block('## Quick start', 'sh')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'));
    expect(commands).toEqual(['npx -y pnpm@10.34.9 install && npx -y pnpm@10.34.9 run examples', 'npx -y pnpm@10.34.9 test']);
  });

  it('its example SOP is valid and its diagram is what renderMermaid draws for it', () => {
    const { sop, diagnostics } = loadSop(block('## An SOP', 'yaml'), { file: 'README.md', today: '2026-11-24' });
    expect(diagnostics).toEqual([]);
    expect(block('## An SOP', 'mermaid')).toBe(renderMermaid(sop!));
  });
});

/** Every Markdown page a user reads: the README, docs/, examples/ and each package's README. */
function markdownPages(): string[] {
  const pages = ['README.md', 'bench/README.md'];
  const walk = (dir: string): void => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const rel = path.join(dir, name);
      if (name === 'node_modules' || name.startsWith('.')) continue;
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.md') && !name.endsWith('.sop.md')) pages.push(rel);
    }
  };
  walk('docs');
  walk('examples');
  for (const pkg of readdirSync(path.join(ROOT, 'packages')))
    if (existsSync(path.join(ROOT, 'packages', pkg, 'README.md'))) pages.push(path.join('packages', pkg, 'README.md'));
  return pages;
}

/** The command lines of a page's `sh` blocks (comments and blank lines dropped, `\` continuations joined). */
function shellCommands(markdown: string): string[] {
  const lines: string[] = [];
  for (const m of markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    lines.push(
      ...m[1]!
        .replace(/\\\n\s*/g, ' ')
        .split('\n')
        .map((l) => l.replace(/\s+#.*$/, '').trim())
        .filter((l) => l && !l.startsWith('#')),
    );
  }
  return lines;
}

describe('commands shown in the docs work after the Quick start', () => {
  it('none runs pnpm directly: pnpm is not installed globally, npx -y pnpm@10.34.9 or npx sopflow are', () => {
    const offenders: string[] = [];
    for (const page of markdownPages()) {
      for (const command of shellCommands(readFileSync(path.join(ROOT, page), 'utf8'))) {
        // a command that starts with pnpm, or runs it after && / ; / |
        if (/(?:^|&&|;|\|)\s*pnpm\s/.test(command)) offenders.push(`${page}: ${command}`);
      }
      if (/pnpm exec sopflow/.test(readFileSync(path.join(ROOT, page), 'utf8'))) offenders.push(`${page}: pnpm exec sopflow`);
    }
    expect(offenders).toEqual([]);
  });

  // Each `npx sopflow …` line of the README and of the example READMEs, run as written by a real
  // shell from a copy of the repository root's examples (so nothing is written into the repository):
  // npx finds the workspace's own sopflow because the copy sits inside the workspace.
  const scratch = path.join(ROOT, '.tmp', `readme-${process.pid}`);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const pages = ['README.md', 'examples/customer-service/README.md'];
  const commands = pages.flatMap((page) =>
    shellCommands(readFileSync(path.join(ROOT, page), 'utf8'))
      .filter((c) => c.startsWith('npx sopflow '))
      .map((command) => ({ page, command })),
  );

  it('the README shows the CLI commands', () => {
    expect(commands.filter((c) => c.page === 'README.md').length).toBeGreaterThanOrEqual(6);
  });

  for (const { page, command } of commands) {
    it(`${page}: ${command}`, () => {
      if (!existsSync(path.join(scratch, 'examples'))) {
        mkdirSync(scratch, { recursive: true });
        cpSync(path.join(ROOT, 'examples/customer-service'), path.join(scratch, 'examples/customer-service'), {
          recursive: true,
          filter: (f) => !f.endsWith('.md') || f.endsWith('README.md'),
        });
      }
      // no input for `sopflow run`: it walks to the first prompt and stops (exit 1, "input ended")
      const r = spawnSync('bash', ['-c', command], {
        cwd: scratch,
        encoding: 'utf8',
        timeout: 120_000,
        input: '',
        env: { ...process.env, NO_COLOR: '1' },
      });
      const output = `${r.stdout}${r.stderr}`;
      expect(output).not.toMatch(/command not found|could not determine executable|ERR!|npm error/);
      expect(output).not.toMatch(/^sopflow: /m);
      if (/^npx sopflow run /.test(command)) {
        expect(r.status, output).toBe(1);
        expect(r.stdout).toMatch(/^== .+ \(/m); // the first step
        expect(r.stdout).toContain('input ended before the run did');
      } else {
        expect(r.status, output).toBe(0);
      }
      const out = /(?:-o|--output-file|--out)\s+(\S+)/.exec(command)?.[1];
      if (out) expect(existsSync(path.join(scratch, out)), out).toBe(true);
    });
  }
});
