import { nameOf, where, type KeywordHandler } from '../describe.js';

/** Empty text where text is needed. */
export const minLength: KeywordHandler = ({ path }, { data }) => {
  const key = path[path.length - 1];
  return [{ path, target: typeof key === 'number' ? 'value' : 'key', message: `${nameOf(path)} is empty ${where(path, data)}` }];
};
