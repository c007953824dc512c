import type { DiagnosticCode } from '@sopflow/model';
import { ALL_RULES } from './rules.generated.js';
import type { ProjectRule, Rule, RuleInfo, SopRule } from './defineRule.js';

/**
 * The rule registry: every diagnostic code with what it means, one file each in src/rules/
 * (collected by `pnpm run generate` into rules.generated.ts, which also derives the model's
 * closed `DiagnosticCode` union and the docs index from the same files). Everything that
 * lists codes reads this: the loaders (which rules run when), SARIF's rule metadata, the docs
 * and the tests.
 */
export const RULES: readonly Rule[] = ALL_RULES satisfies readonly Rule[];

const byCode = new Map<string, Rule>(RULES.map((rule) => [rule.code, rule]));

/** The rule that reports `code`. */
export function ruleFor(code: DiagnosticCode): Rule {
  return byCode.get(code)!;
}

/** Rules that judge one SOP (`node` and `flow`), in registry order. */
export const SOP_RULES: readonly SopRule[] = RULES.filter((rule): rule is SopRule => 'check' in rule && rule.scope !== 'project');

/** Rules that judge files together, in registry order. */
export const PROJECT_RULES: readonly ProjectRule[] = RULES.filter(
  (rule): rule is ProjectRule => 'check' in rule && rule.scope === 'project',
);

/** What each code means, as plain data (for SARIF, docs and editors): code, severity, scope, description, docs page. */
export function ruleInfo(): RuleInfo[] {
  return RULES.map(({ code, severity, scope, description, docs, reportedBy }) => ({
    code,
    severity,
    scope,
    description,
    docs,
    ...(reportedBy ? { reportedBy } : {}),
  }));
}
