import { describeValue } from '../../shared/show.js';
import { nameOf, type KeywordHandler } from '../describe.js';

/** A value that must be exactly one thing (`sopflow: 1`). */
export const constKeyword: KeywordHandler = ({ error, path, value, note }) => {
  const message = note?.message ?? `${nameOf(path)} must be ${JSON.stringify(error.params.allowedValue)}`;
  return [{ path, target: 'value', message: `${message}, not ${describeValue(value)}` }];
};
