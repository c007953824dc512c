import { valueMessage, type KeywordHandler } from '../describe.js';

/** A key that is not a valid name for its mapping (a field name with spaces, an empty term). */
export const propertyNames: KeywordHandler = ({ error, path, note }) => {
  const name = String(error.params.propertyName);
  const keyPath = [...path, name];
  if (note?.names === 'fieldName' || note?.names === 'outcome')
    return [{ path: keyPath, target: 'key', ...valueMessage(note.names, keyPath, name, 'key') }];
  return [{ path: keyPath, target: 'key', message: 'a term needs a name' }];
};
