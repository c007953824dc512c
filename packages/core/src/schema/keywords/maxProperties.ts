import { isRecord } from '../../shared/show.js';
import { where, type KeywordHandler } from '../describe.js';
import { operatorsOf } from './minProperties.js';

/** A `when` condition with more than one operator. */
export const maxProperties: KeywordHandler = ({ path, value, note }, { data }) => {
  if (note?.kind !== 'condition' || !isRecord(value)) return [];
  const operators = operatorsOf(note);
  const ops = Object.keys(value).filter((k) => operators.includes(k));
  if (ops.length < 2) return []; // an unknown key is reported on its own
  return [
    {
      path: [...path, ops[1]!],
      target: 'key',
      message: `a \`when\` condition takes one operator besides \`field\`; found ${ops.map((o) => `\`${o}\``).join(' and ')} (${where(path, data).replace(/^in the `when` of /, '')})`,
      hint: 'use `in: [a, b]` for several values, or split it into several choices',
    },
  ];
};
