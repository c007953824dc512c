import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { resolvePlain } from '../src/parse/coreSchema.js';

// The fast path's reader resolves plain scalars itself; it must read each as yaml 2 does.
const yaml2 = (text: string): unknown => (parse(`k: ${text}\n`) as { k: unknown }).k;

describe('resolvePlain', () => {
  it('reads the null and boolean words, in every case, as yaml 2 does', () => {
    const words = ['null', 'true', 'false', 'nul', 'nulls', 'tru', 'fals', 'yes', 'no', 'on', 'off', 'n', 'y', 't', 'f', 'Nil', 'none'];
    for (const word of words) {
      for (const form of [
        word,
        word.toUpperCase(),
        word[0]!.toUpperCase() + word.slice(1),
        word.slice(0, -1) + word.at(-1)!.toUpperCase(),
      ]) {
        expect(resolvePlain(form), form).toEqual(yaml2(form));
      }
    }
  });

  it('reads any short word of the letters of null, true and false as yaml 2 does (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[nNuUlLtTrReEfFaAsS]{1,6}$/), (word) => {
        expect(resolvePlain(word)).toEqual(yaml2(word));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads numbers and their look-alikes as yaml 2 does', () => {
    for (const text of [
      '0',
      '-0',
      '+12',
      '0o17',
      '017',
      '0x1F',
      '0X1F',
      '1e3',
      '-1e-3',
      '.5',
      '5.',
      '.inf',
      '-.Inf',
      '.NaN',
      '~',
      '1_000',
      '1.10',
    ]) {
      expect(resolvePlain(text), text).toEqual(yaml2(text));
    }
  });
});
