/**
 * Reading a name an SOP chose (a step id, a field, an action, an answer, an outcome) from a
 * plain object: only its own properties count. `data['constructor']` on a `{}` is Object's
 * constructor, not a recorded field; every lookup by such a name goes through here.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined | null, key: string): T | undefined {
  return record != null && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function hasOwn(record: object | undefined | null, key: string): boolean {
  return record != null && Object.prototype.hasOwnProperty.call(record, key);
}
