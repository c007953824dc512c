/** Names every plain object answers to (`toString`, `constructor`, `__proto__`, …): a state key
 *  equal to one would be read from the prototype by code that looks keys up with `obj[key]`. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * XState treats `.` as a path separator and `#` as an id prefix in state keys and targets,
 * so step ids are encoded into keys made only of `[A-Za-z0-9_-]`: every other character
 * (including `~` itself) becomes `~` + four hex digits, and so does the first character of an
 * id that is the name of an `Object.prototype` member. The encoding is injective (a `~XXXX`
 * of a character that is otherwise kept never arises from the first rule), and the original
 * id is kept in the state's `meta.step.id`.
 */
export function encodeStateKey(id: string): string {
  const escape = (c: string) => `~${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  if (INHERITED.has(id)) return escape(id[0]!) + encodeStateKey(id.slice(1));
  return /^[A-Za-z0-9_-]+$/.test(id) ? id : id.replace(/[^A-Za-z0-9_-]/g, escape);
}

/** The key of the final state a step with content *and* `end` leads to once it is done.
 *  `:` never survives `encodeStateKey`, so these keys cannot collide with a step's key. */
export function endStateKey(outcome: string): string {
  return `end:${encodeStateKey(outcome)}`;
}
