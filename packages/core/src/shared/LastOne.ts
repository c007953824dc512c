/**
 * A cache of one entry: the value made for the last key. The rules of one file ask for its
 * prose index (or its graph's index) one after another, so one entry shares it as well as a
 * WeakMap did. A WeakMap keyed by the SOP kept every file's index alive as long as its SOP; and
 * V8's young-generation collector (Node 20) treats a WeakMap's keys as live, so even a dropped
 * SOP was copied and promoted with its index until a full collection.
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
