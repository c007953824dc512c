/**
 * XState treats `.` as a path separator and `#` as an id prefix in state keys and targets,
 * so step ids are encoded into keys made only of `[A-Za-z0-9_-]`: every other character
 * (including `~` itself) becomes `~` + four hex digits. The encoding is injective, and the
 * original id is kept in the state's `meta.step.id`.
 */
export function encodeStateKey(id: string): string {
  return /^[A-Za-z0-9_-]+$/.test(id)
    ? id
    : id.replace(/[^A-Za-z0-9_-]/g, (c) => `~${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The key of the final state a step with content *and* `end` leads to once it is done.
 *  `:` never survives `encodeStateKey`, so these keys cannot collide with a step's key. */
export function endStateKey(outcome: string): string {
  return `end:${encodeStateKey(outcome)}`;
}
