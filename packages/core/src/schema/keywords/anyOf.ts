import { code, describeValue } from '../../shared/show.js';
import { fill, valueMessage, where, type KeywordHandler, type SchemaMessage } from '../describe.js';

const ACTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/;

/**
 * None of the alternatives holds. An action (a name or a list of names): each bad name is
 * reported; a step that has none of the keys that give a step its kind: the annotation's
 * message, unless an unknown key was probably meant to be one of them.
 */
export const anyOf: KeywordHandler = ({ path, value, note }, { data, unknownKeys }) => {
  if (note?.value === 'action') {
    if (typeof value === 'string') return [{ path, target: 'value', ...valueMessage('action', path, value) }];
    if (Array.isArray(value)) {
      const out: SchemaMessage[] = [];
      value.forEach((item, i) => {
        if (typeof item !== 'string')
          out.push({
            path: [...path, i],
            target: 'value',
            message: `item ${i + 1} of \`action\` must be an action name, not ${describeValue(item)}`,
          });
        else if (!ACTION_NAME.test(item)) out.push({ path: [...path, i], target: 'value', ...valueMessage('action', [...path, i], item) });
      });
      return out;
    }
    return [
      {
        path,
        target: value === null ? 'key' : 'value',
        message: `\`action\` must be an action name or a list of them ${where(path, data)}, not ${describeValue(value)}`,
      },
    ];
  }
  if (note?.empty !== undefined) {
    if (unknownKeys(path).some((s) => s !== undefined && (note.anyOfKeys ?? []).includes(s))) return [];
    return [{ path, target: 'head', message: fill(note.empty, path, data) }];
  }
  return [{ path, target: 'value', message: `${code(value)} is not valid here` }];
};
