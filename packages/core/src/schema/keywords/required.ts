import { hasOwn, isRecord } from '../../shared/show.js';
import { fill, where, type KeywordHandler } from '../describe.js';

/**
 * A missing key. In a `dependencies` entry (a key that needs another) the entry's annotation
 * says what is wrong; otherwise the mapping's annotation has a message per key. Nothing is said
 * when an unknown key in the same mapping was probably meant to be this one.
 */
export const required: KeywordHandler = ({ error, path, value, note }, { data, unknownKeys }) => {
  const missing = String(error.params.missingProperty);
  if (note?.requires) {
    const { at, message, hint, hintIf } = note.requires;
    const conditional = hintIf && isRecord(value) ? Object.entries(hintIf).find(([key]) => hasOwn(value, key))?.[1] : undefined;
    return [{ path: [...path, at], target: 'key', message: fill(message, path, data), hint: conditional ?? hint }];
  }
  if (unknownKeys(path).includes(missing)) return []; // a misspelled key already says it
  const template = note?.missing && hasOwn(note.missing, missing) ? note.missing[missing] : undefined;
  return [
    { path, target: 'head', message: template !== undefined ? fill(template, path, data) : `missing \`${missing}\` ${where(path, data)}` },
  ];
};
