import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayPath } from '../src/collectFiles.js';
import { normalizedPath, relativeInside } from '../src/normalizedPath.js';

describe('normalizedPath', () => {
  it('is path.normalize for every path made of segments, dots, slashes and names', () => {
    const part = fc.constantFrom('/', '//', '.', '..', 'a', 'b.sop.yaml', '.x', 'x.', '...', ' ', '\\');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 10 }), (parts) => {
        const file = parts.join('');
        expect(normalizedPath(file)).toBe(path.normalize(file));
      }),
      { numRuns: 5000 },
    );
  });

  it('returns the very string for a normal absolute path, and normalises the others', () => {
    expect(normalizedPath('/work/sops/a.sop.yaml')).toBe('/work/sops/a.sop.yaml');
    expect(normalizedPath('/')).toBe('/');
    expect(normalizedPath('/work/./sops//b/../a.sop.yaml')).toBe(path.normalize('/work/./sops//b/../a.sop.yaml'));
    expect(normalizedPath('')).toBe('.');
    expect(normalizedPath('sops/')).toBe(path.normalize('sops/'));
  });
});

describe('relativeInside', () => {
  const part = fc.constantFrom('/', '//', '.', '..', 'a', 'ab', 'b.sop.yaml', '.x', ' ', '\\');
  const somePath = fc.array(part, { maxLength: 8 }).map((parts) => parts.join(''));

  it('is path.relative whenever it answers, and displayPath is what path.relative gives', () => {
    fc.assert(
      fc.property(somePath, somePath, fc.boolean(), (folderTail, fileTail, nested) => {
        const folder = `/${folderTail}`;
        // often a file inside the folder, which is the case relativeInside answers
        const file = nested ? `${folder}/${fileTail}` : `/${fileTail}`;
        const inside = relativeInside(folder, file);
        if (inside !== undefined) expect(inside).toBe(path.relative(folder, file));
        const rel = path.relative(folder, file);
        const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
        const expected = rel && !outside ? rel.split(path.sep).join('/') : file;
        expect(displayPath(file, folder)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('answers for a normal file inside a normal folder, and for nothing else', () => {
    expect(relativeInside('/work/sops', '/work/sops/a.sop.yaml')).toBe('a.sop.yaml');
    expect(relativeInside('/work/sops', '/work/sops/team/a.sop.yaml')).toBe('team/a.sop.yaml');
    expect(relativeInside('/', '/a.sop.yaml')).toBe('a.sop.yaml');
    expect(relativeInside('/work/sops', '/work/sopsx/a.sop.yaml')).toBeUndefined();
    expect(relativeInside('/work/sops', '/work/sops')).toBeUndefined();
    expect(relativeInside('/work/sops/', '/work/sops/a.sop.yaml')).toBeUndefined();
    expect(relativeInside('/work/sops', '/work/sops/../a.sop.yaml')).toBeUndefined();
    expect(relativeInside('work/sops', 'work/sops/a.sop.yaml')).toBeUndefined();
    // a name that starts with `..` is still inside
    expect(displayPath('/work/sops/..a.sop.yaml', '/work/sops')).toBe('..a.sop.yaml');
    expect(displayPath('/work/a.sop.yaml', '/work/sops')).toBe('/work/a.sop.yaml');
  });
});
