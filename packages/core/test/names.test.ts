import { describe, expect, it } from 'vitest';
import { validateProject } from '../src/index.js';

/** Every name a plain object answers to: an SOP may use any of them, or be told clearly why not. */
const NAMES = Object.getOwnPropertyNames(Object.prototype);
const idLike = (name: string) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name);
const fieldLike = (name: string) => /^[A-Za-z][A-Za-z0-9_]*$/.test(name);

function project(name: string) {
  const step = idLike(name) ? name : 'first';
  const field = fieldLike(name) ? name : 'f';
  const child = idLike(name) ? name : 'child';
  const main = `sopflow: 1
id: main
title: Names
terms:
  ${JSON.stringify(name)}: A word the SOP defines.
fields:
  ${field}: { type: string, required: true }
instructions:
  - id: ${step}
    do: Record it. ${name.replace(/_/g, '')} matters.
    record: [${field}]
    action: ${JSON.stringify(name)}
  - id: pick
    ask: Which?
    choices:
      - { answer: ${JSON.stringify(name)}, next: sub }
      - { when: { field: ${field}, equals: x }, next: sub }
  - id: sub
    use: ${child}
    with: { ${field}: ${field} }
    returns: { ${field}: ${field} }
    outcomes: { ${idLike(name) ? name : 'done'}: last }
  - id: last
    do: Close.
    end: ${idLike(name) ? name : 'done'}
`;
  const sub = `sopflow: 1
id: ${child}
title: Child
fields:
  ${field}: { type: string }
instructions:
  - id: inside
    do: Inside.
  - id: out
    end: ${idLike(name) ? name : 'done'}
`;
  return validateProject(
    [
      { file: 'main.sop.yaml', text: main },
      { file: 'child.sop.yaml', text: sub },
    ],
    { today: '2026-01-01' },
  );
}

describe('every Object.prototype member name works in an SOP', () => {
  it.each(NAMES)('%s', (name) => {
    const { results } = project(name);
    const diagnostics = results.flatMap((r) => r.diagnostics);
    // nothing is read from the prototype: no undeclared field, unknown step or outcome, missing procedure
    expect(
      diagnostics.filter((d) => d.severity === 'error'),
      JSON.stringify(diagnostics, null, 1),
    ).toEqual([]);
    expect(diagnostics.map((d) => d.code)).not.toContain('undefined-term');
  });

  it('a misspelt reference to a step never resolves to a prototype member', () => {
    const text = 'sopflow: 1\nid: x\ntitle: X\ninstructions:\n  - id: a\n    do: A.\n    next: toString\n';
    const { results } = validateProject([{ file: 'x.sop.yaml', text }]);
    expect(results[0]!.diagnostics.map((d) => d.code)).toContain('unknown-step');
  });
});
