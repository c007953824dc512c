import { where, type KeywordHandler, type SchemaAnnotation } from '../describe.js';

/** A condition's operators: its keys besides the required `field` (from the schema). */
export const operatorsOf = (note: SchemaAnnotation | undefined): string[] =>
  (note?.keys ?? []).filter((k) => !(note?.required ?? []).includes(k));

/** A `when` condition with no operator. */
export const minProperties: KeywordHandler = ({ path, note }, { data, unknownKeys }) => {
  if (note?.kind !== 'condition' || unknownKeys(path).length > 0) return [];
  return [
    {
      path,
      target: 'head',
      message: `this \`when\` condition tests nothing (${where(path, data).replace(/^in the `when` of /, '')}): add one operator: ${operatorsOf(note).join(', ')}`,
      hint: 'e.g. `when: { field: issue, equals: billing }`',
    },
  ];
};
