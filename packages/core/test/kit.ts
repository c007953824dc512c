/**
 * The test kit: typed access to the bench's SOP generator (plain JavaScript in bench/lib, typed
 * by bench/lib/generateSop.d.mts), so tests need no `@ts-expect-error`.
 */
export { FIELDS, generateSop, toYaml } from '../../../bench/lib/generateSop.mjs';
export type { GenerateOptions } from '../../../bench/lib/generateSop.mjs';
