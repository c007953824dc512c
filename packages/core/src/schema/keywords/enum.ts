import { closest } from '../../shared/didYouMean.js';
import { replaceWith } from '../../registry/defineRule.js';
import { code, hasOwn } from '../../shared/show.js';
import { TYPE_SYNONYMS } from '../vocabulary.js';
import type { KeywordHandler } from '../describe.js';

/** A value outside a fixed list (a field's `type`), with the nearest allowed one and the fix. */
export const enumKeyword: KeywordHandler = ({ error, path, value }) => {
  const allowed = (error.params.allowedValues as unknown[]).map(String);
  const text = String(value);
  const isType = path[path.length - 1] === 'type';
  const synonym = hasOwn(TYPE_SYNONYMS, text.toLowerCase()) ? TYPE_SYNONYMS[text.toLowerCase()] : undefined;
  const hinted = typeof value === 'string' ? (synonym ?? closest(text, allowed)) : undefined;
  return [
    {
      path,
      target: 'value',
      message: `${code(value)} is not ${isType ? 'a field type' : 'allowed here'}: use ${allowed.join(', ')}`,
      hint: hinted ? `did you mean \`${hinted}\`?` : undefined,
      ...(hinted ? { fixes: [replaceWith(path, hinted)] } : {}),
    },
  ];
};
