// Types for arbitraries.mjs (plain JS, so the child-process fuzz run can load it without a build).
import type { Arbitrary } from 'fast-check';
import type { Sop } from '@sopflow/model';
import type { BoundAction } from '@sopflow/runtime';

/** A root SOP and the sub-procedures it uses, by id. */
export type Family = { sop: Sop; procedures: Record<string, Sop> };
/** One step of a random walk: a move (valid or not), a pause, a persist/restore, a cancel. */
export type WalkStep = { kind: string; answer?: string; data?: Record<string, unknown>; signal?: string; ms?: number; move?: unknown };

export declare const FIELDS: Record<string, Record<string, unknown>>;
export declare const familyArb: Arbitrary<Family>;
export declare const stepArb: Arbitrary<WalkStep>;
export declare const actionBehaviourArb: Arbitrary<string>;
export declare function boundActions(behaviour: string): Record<string, BoundAction>;
