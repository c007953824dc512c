import { valueMessage, type KeywordHandler } from '../describe.js';

/** A value that does not match its kind's pattern (an id with spaces, a date, a duration). */
export const pattern: KeywordHandler = ({ path, value, note }) => [{ path, target: 'value', ...valueMessage(note?.value, path, value) }];
