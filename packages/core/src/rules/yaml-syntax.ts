import { defineReportedCode } from '../registry/defineRule.js';

/** Reported by the YAML reader (src/parse/). */
export default defineReportedCode({
  code: 'yaml-syntax',
  severity: 'error',
  scope: 'node',
  reportedBy: 'parser',
  description: 'The file is not valid YAML, so sopflow cannot read it.',
});
