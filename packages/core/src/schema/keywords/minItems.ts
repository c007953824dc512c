import { where, type KeywordHandler } from '../describe.js';

/** An empty list where one item at least is needed. */
export const minItems: KeywordHandler = ({ path, note }, { data }) => {
  const key = path[path.length - 1];
  return [
    {
      path,
      target: 'key',
      message:
        note?.value === 'steps'
          ? '`instructions` is empty: add at least one step'
          : `\`${String(key)}\` is empty: list at least one value ${where(path, data)}`,
    },
  ];
};
