import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { SCHEMA_FILE, hasCodeSpan, toMarkdown, withMarkdownDescriptions } from '../../../scripts/markdownDescriptions.mjs';

type Node = Record<string, unknown>;
const walk = (node: unknown, visit: (n: Node) => void): void => {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Node);
    Object.values(node).forEach((n) => walk(n, visit));
  }
};
const strip = (node: unknown): unknown =>
  Array.isArray(node)
    ? node.map(strip)
    : node && typeof node === 'object'
      ? Object.fromEntries(
          Object.entries(node)
            .filter(([k]) => k !== 'markdownDescription')
            .map(([k, v]) => [k, strip(v)]),
        )
      : node;

/** yaml-language-server renders `markdownDescription` as Markdown and `description` as escaped text. */
describe("the schema's markdownDescription (editor hover renders code spans)", () => {
  const text = readFileSync(SCHEMA_FILE, 'utf8');

  test('is in step with the descriptions: run `pnpm run generate` after editing the schema', () => {
    expect(withMarkdownDescriptions(text)).toBe(text);
  });

  test('every description with a code span has one', () => {
    walk(JSON.parse(text), (node) => {
      if (typeof node.description === 'string' && hasCodeSpan(node.description))
        expect(node.markdownDescription, node.description).toBe(toMarkdown(node.description));
    });
  });

  test('adds, updates and keeps: only markdownDescription changes, layout kept, idempotent', () => {
    const sample = [
      '{',
      '  "properties": {',
      '    "a": {',
      '      "type": "string",',
      '      "description": "Goes to `next` *now*.",',
      '      "examples": ["x"]',
      '    },',
      '    "b": {"description": "Uses `use: <id>`_here_."},',
      '    "c": {"description": "Old `x`.", "markdownDescription": "stale"},',
      '    "d": {"description": "Plain text.", "markdownDescription": "Hand-written with ```yaml\\nx: 1\\n```"},',
      '    "description": {"type": "string", "description": "A property named description; `field`."}',
      '  }',
      '}',
      '',
    ].join('\n');
    const out = withMarkdownDescriptions(sample);
    expect(strip(JSON.parse(out))).toEqual(strip(JSON.parse(sample)));
    const data = JSON.parse(out) as { properties: Record<string, Node> };
    expect(data.properties.a!.markdownDescription).toBe('Goes to `next` \\*now\\*.');
    expect(data.properties.b!.markdownDescription).toBe('Uses `use: <id>`\\_here\\_.');
    expect(data.properties.c!.markdownDescription).toBe('Old `x`.');
    expect(data.properties.d!.markdownDescription).toBe('Hand-written with ```yaml\nx: 1\n```');
    expect(data.properties.description!.markdownDescription).toBe('A property named description; `field`.');
    expect(out).toContain(
      '      "description": "Goes to `next` *now*.",\n      "markdownDescription": "Goes to `next` \\\\*now\\\\*.",\n      "examples"',
    );
    expect(out).toContain('"b": {"description": "Uses `use: <id>`_here_.", "markdownDescription": ');
    expect(withMarkdownDescriptions(out)).toBe(out);
  });
});
