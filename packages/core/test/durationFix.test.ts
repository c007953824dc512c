import { describe, expect, test } from 'vitest';
import { HEAD, load } from './helpers.js';

const sop = (after: string) =>
  `${HEAD}instructions:\n  - id: a\n    do: x\n    limit: { after: ${after}, next: b }\n  - id: b\n    end: done\n`;

/** invalid-duration: a duration written in words gets the exact one sopflow reads, as a fix. */
describe('invalid-duration: the exact duration as a fix', () => {
  test.each([
    ['60 seconds', '60s'],
    ['5 minutes', '5m'],
    ['5 mins', '5m'],
    ['1 hour 30 min', '1h30m'],
    ['1 hour and 30 minutes', '1h30m'],
    ['2 hrs, 15 mins', '2h15m'],
    ['3 days', '3d'],
    ['1.5 hours', '1.5h'],
    ['500 msec', '500ms'],
    ['90 Sec', '90s'],
  ])('%s -> %s', (written, exact) => {
    const text = sop(JSON.stringify(written));
    const d = load(text).diagnostics.find((x) => x.code === 'invalid-duration')!;
    expect(d.hint).toBe(`write \`${exact}\``);
    expect(d.fixes).toHaveLength(1);
    const [edit] = d.fixes![0]!.edits;
    expect(edit!.newText).toBe(`"${exact}"`);
    const lines = text.split('\n');
    lines[edit!.line - 1] =
      lines[edit!.line - 1]!.slice(0, edit!.column - 1) + edit!.newText + lines[edit!.line - 1]!.slice(edit!.endColumn - 1);
    expect(load(lines.join('\n')).diagnostics).toEqual([]);
  });

  test.each(['soon', '5 fortnights', '0 minutes', '5 minutes later', 'ten minutes', `${'1 minute '.repeat(20)}`])(
    'no fix for %j',
    (written) => {
      const d = load(sop(JSON.stringify(written))).diagnostics.find((x) => x.code === 'invalid-duration');
      expect(d).toBeDefined();
      expect(d!.fixes).toBeUndefined();
    },
  );
});
