/** A field name as the schema allows it: a letter, then letters, digits or `_`. */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * `Check Back!` -> `check-back`: a valid id close to what was written. With `underscore`, a
 * valid field name: `call-notes` -> `call_notes` (`-` and `.` are not allowed in field names).
 */
export function slug(text: string, underscore = false): string {
  const sep = underscore ? '_' : '-';
  let s = text
    .trim()
    .toLowerCase()
    .replace(underscore ? /[^a-z0-9_]+/g : /[^a-z0-9_.-]+/g, sep)
    .replace(/^[^a-z0-9]+/, '');
  let end = s.length;
  while (end > 0 && s[end - 1] === sep) end--; // trailing separators (a loop: `[-]+$` backtracks on long runs)
  s = s.slice(0, end);
  return underscore ? s.replace(/^[^a-z]+/, '') : s;
}

/** The valid field name a declared name that is not one would be written as (`call-notes` -> `call_notes`), or undefined. */
export function fieldNameFor(name: string): string | undefined {
  if (FIELD_NAME.test(name)) return undefined;
  const fixed = slug(name, true);
  return FIELD_NAME.test(fixed) ? fixed : undefined;
}
