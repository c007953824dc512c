// Types for generateSop.mjs (plain JavaScript, run by node in the bench), so TypeScript tests
// import it checked: see packages/core/test/kit.ts.
import type { FieldDef, Sop } from '@sopflow/model';

export declare const FIELDS: Record<string, FieldDef>;

export interface GenerateOptions {
  /** the SOP's id */
  id: string;
  /** about how many steps */
  steps: number;
  seed: number;
  /** SOPs its `use:` steps may run (each must end with `resolved`) */
  procedures?: { id: string }[];
  title?: string;
}

/** One valid, realistic SOP: zero diagnostics under the schema and every sopflow rule. */
export declare function generateSop(options: GenerateOptions): Sop;

/** The SOP as YAML, deterministic, with a schema modeline pointing at `schemaRef`. */
export declare function toYaml(sop: Sop, schemaRef?: string): string;
