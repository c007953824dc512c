import type { DocPath } from '@sopflow/model';
import { replaceWith } from '../../registry/defineRule.js';
import { code, describeValue, isRecord, show } from '../../shared/show.js';
import { TYPE_SYNONYMS } from '../vocabulary.js';
import { expected, nameOf, where, type KeywordHandler, type SchemaAnnotation, type SchemaMessage } from '../describe.js';

/** A node of the wrong type: that is the one mistake there (other errors at the node are dropped). */
export const type: KeywordHandler = ({ error, path, value, note }, { data }) => {
  const types = Array.isArray(error.params.type) ? error.params.type.join(',') : String(error.params.type);
  const m = typeMessage(path, value, types, note, data);
  return [{ path, target: m.target ?? (value === null ? 'key' : 'value'), ...m }];
};

function typeMessage(
  path: DocPath,
  value: unknown,
  types: string,
  note: SchemaAnnotation | undefined,
  data: unknown,
): Omit<SchemaMessage, 'path'> {
  const key = path[path.length - 1];
  const got = describeValue(value);
  switch (note?.kind) {
    case 'sop':
      if (value === null || value === undefined) {
        return { message: 'the file is empty: an SOP needs at least `sopflow: 1`, `id`, `title` and `instructions`' };
      }
      return {
        message: `an SOP file is a mapping of keys (\`sopflow\`, \`id\`, \`title\`, \`instructions\`…), not ${Array.isArray(value) ? 'a list' : got}`,
        ...(Array.isArray(value) ? { hint: 'put the steps under `instructions:`' } : {}),
      };
    case 'step': {
      // `- do:Greet`: a key with no space after its colon reads as one text
      const glued = typeof value === 'string' ? /^([A-Za-z_]+):(\S.*)$/.exec(value) : null;
      const hint =
        glued && (note.keys ?? []).includes(glued[1]!)
          ? `put a space after the colon: \`- ${glued[1]}: ${show(glued[2], 30)}\``
          : typeof value === 'string'
            ? `write \`- do: ${show(value, 30)}\``
            : undefined;
      return {
        message: `a step is a mapping of keys such as \`- do: Greet the caller\`, not ${got}`,
        ...(hint ? { hint } : {}),
        target: 'value',
      };
    }
    case 'choice':
      return { message: `a choice is a mapping such as \`{ answer: "Yes", next: research }\`, not ${got}` };
    case 'field': {
      const types = note.enums?.type?.map(String) ?? [];
      const t = typeof value === 'string' ? (types.includes(value) ? value : TYPE_SYNONYMS[value]) : undefined;
      return {
        message: `field ${code(key)} must be a mapping such as \`{ type: string }\`, not ${got}`,
        ...(t ? { hint: `write \`${String(key)}: { type: ${t} }\`` } : {}),
      };
    }
    case 'condition':
      return { message: `\`when\` must be a condition such as \`{ field: issue, equals: billing }\`, not ${got}` };
    case 'limit':
      return { message: `\`limit\` must be a mapping such as \`{ after: 60s, next: check-back }\`, not ${got}` };
    default:
  }
  if (note?.value === 'steps') return { message: `\`instructions\` must be a list of steps (each starting with \`- \`), not ${got}` };
  if (note?.value === 'meaning') return { message: `the meaning of term ${code(key)} must be text, not ${got}` };
  if (value === null || value === undefined) {
    return { message: `\`${String(key)}\` is empty ${where(path, data)}: write ${expected(types, note?.value)}`, target: 'key' };
  }
  if (note?.value === 'duration' && typeof value === 'number') {
    return {
      message: `the duration ${show(value)} has no unit: write \`${value}s\` (seconds), \`${value}m\` (minutes)…`,
      hint: `write \`${value}s\``,
      fixes: [
        replaceWith(path, `${value}s`, 'value', `Change to \`${value}s\` (seconds)`),
        replaceWith(path, `${value}m`, 'value', `Change to \`${value}m\` (minutes)`),
      ],
    };
  }
  let hint: string | undefined;
  let fixes: SchemaMessage['fixes'];
  if (note?.value === 'outcome') hint = 'name the outcome, e.g. `end: resolved`';
  else if (note?.value === 'stepId' && typeof value === 'number' && Number.isInteger(value))
    hint = `steps are named by their id; a step without one is called \`step-${value}\``;
  else if (types.split(',').includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
    hint = `put it in quotes: \`"${String(value)}"\``;
    fixes = [replaceWith(path, String(value), 'value', `Put \`${String(value)}\` in quotes`)];
  }
  if (key === 'choices' && isRecord(value)) {
    const [answer, next] = Object.entries(value)[0] ?? ['Yes', 'step-id'];
    hint = `write each choice as \`- { answer: "${show(answer, 20)}", next: ${show(next, 20)} }\``;
  }
  if (types === 'array' && typeof value === 'string') hint = `write a list: \`[${show(value, 30)}]\``;
  // `- Say: thank you` in a list of texts: YAML read a text holding ": " as a key and its value
  if (types.split(',').includes('string') && isRecord(value) && Object.keys(value).length === 1) {
    const [k, v] = Object.entries(value)[0]!;
    if (typeof v === 'string' || v === null) {
      const text = v === null ? `${k}:` : `${k}: ${v}`;
      hint = `a text holding ": " needs quotes: \`${typeof key === 'number' ? '- ' : `${String(key)}: `}${JSON.stringify(text).length <= 50 ? JSON.stringify(text) : `"${show(text, 40)}"`}\``;
    }
  }
  return {
    message: `${nameOf(path)} must be ${expected(types, note?.value)} ${where(path, data)}, not ${got}`,
    ...(hint ? { hint } : {}),
    ...(fixes ? { fixes } : {}),
  };
}
