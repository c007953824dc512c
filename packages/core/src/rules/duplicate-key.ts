import { defineReportedCode } from '../registry/defineRule.js';

/** Reported by the YAML reader (src/parse/). */
export default defineReportedCode({
  code: 'duplicate-key',
  severity: 'error',
  scope: 'node',
  reportedBy: 'parser',
  description: 'A mapping repeats a key.',
});
