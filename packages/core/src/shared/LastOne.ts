/**
 * A cache of one entry: the value made for the last key. The term rules of one file ask for its
 * prose index one after another, so one entry shares it as well as a WeakMap did; a WeakMap keyed
 * by the SOP, though, kept every file's index alive as long as its SOP, which a project run keeps
 * to the end (1,000 files: ~9 MB more live data, copied by every scavenge, and 1,000 more
 * ephemerons to trace).
 */
export class LastOne<K, V> {
  private key: K | undefined;
  private value: V | undefined;

  get(key: K): V | undefined {
    return this.key === key ? this.value : undefined;
  }

  set(key: K, value: V): void {
    this.key = key;
    this.value = value;
  }
}
