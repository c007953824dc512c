import { defineReportedCode } from '../registry/defineRule.js';

/** Reported by the YAML reader (src/parse/). */
export default defineReportedCode({
  code: 'nesting-depth',
  severity: 'error',
  scope: 'node',
  reportedBy: 'parser',
  description: 'The file nests more than 500 levels deep (lists in lists, mappings in mappings).',
});
