import { defineReportedCode } from '../registry/defineRule.js';

/** Reported by the schema check (src/schema/). */
export default defineReportedCode({
  code: 'schema',
  severity: 'error',
  scope: 'node',
  reportedBy: 'schema',
  description:
    'The JSON Schema (`schemas/sop.schema.json`) rejects a node: an unknown or misspelled key, a missing key, a value of the wrong type, an id with spaces, keys that cannot go together in one step, a file that is empty or a list.',
});
