import { ruleInfo, type RuleInfo } from '@sopflow/core';

/**
 * Every diagnostic code with its metadata, read from the rule registry of @sopflow/core (one
 * file per rule): code, severity, scope, a one-sentence description and the repository path of
 * its docs page (`docs/rules/<code>.md`), in the registry's order. SARIF's rule list uses it.
 */
export function ruleList(): RuleInfo[] {
  return ruleInfo();
}
