import { replaceWith } from '../../registry/defineRule.js';
import { code, hasOwn, isRecord } from '../../shared/show.js';
import { KIND_NOUN, suggestKey } from '../vocabulary.js';
import { where, type KeywordHandler, type SchemaAnnotation } from '../describe.js';

/** The key an unknown key probably meant, in the mapping the annotation describes. */
export function suggestionFor(note: SchemaAnnotation | undefined, key: string): string | undefined {
  return note?.kind ? suggestKey(note.kind, key, note.keys ?? []) : undefined;
}

/** An unknown key, with what it probably meant (a synonym or a near spelling) and the fix. */
export const additionalProperties: KeywordHandler = ({ error, path, value, note }, { data }) => {
  const key = String(error.params.additionalProperty);
  const suggestion = suggestionFor(note, key);
  const keyPath = [...path, key];
  const taken = isRecord(value) && suggestion !== undefined && hasOwn(value, suggestion);
  const usable = suggestion !== undefined && !taken;
  let hint = usable ? `did you mean \`${suggestion}\`?` : undefined;
  if (!hint && note?.kind) hint = `${KIND_NOUN[note.kind]} the keys are: ${(note.keys ?? []).join(', ')}`;
  return [
    {
      path: keyPath,
      target: 'key',
      message: `unknown key ${code(key)} ${where(keyPath, data)}`,
      hint,
      ...(usable ? { fixes: [replaceWith(keyPath, suggestion, 'key', `Rename to \`${suggestion}\``)] } : {}),
    },
  ];
};
