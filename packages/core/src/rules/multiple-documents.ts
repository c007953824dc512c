import { defineReportedCode } from '../registry/defineRule.js';

/** Reported by the YAML reader (src/parse/). */
export default defineReportedCode({
  code: 'multiple-documents',
  severity: 'error',
  scope: 'node',
  reportedBy: 'parser',
  description: 'The file holds several YAML documents separated by `---`.',
});
