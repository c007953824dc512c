import { hasOwn, isRecord } from '../../shared/show.js';
import { fill, where, type KeywordHandler, type SchemaMessage } from '../describe.js';

/** Keys that cannot go together: each forbidden key present is reported with the annotation's message. */
export const not: KeywordHandler = ({ path, value, note }, { data }) => {
  if (note?.conflicts && isRecord(value)) {
    const out: SchemaMessage[] = [];
    for (const [other, message] of Object.entries(note.conflicts)) {
      if (hasOwn(value, other))
        out.push({ path: [...path, other], target: 'key', message: `${message} (${fill('{where-}', path, data)})` });
    }
    return out;
  }
  return [{ path, target: 'head', message: `this combination of keys is not allowed ${where(path, data)}` }];
};
