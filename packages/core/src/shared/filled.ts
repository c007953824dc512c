/**
 * A list of `length` numbers, all `value`. A plain array, not a typed one: a typed array of more
 * than a few dozen bytes keeps its data outside the engine's heap, and making one costs far
 * more than the few numbers per step these lists hold. Allocated at its size (`new Array`),
 * except for very long lists, which the engine would keep as a slow dictionary that way.
 */
export function filled(length: number, value = 0): number[] {
  if (length <= 10_000) return new Array<number>(length).fill(value);
  const list: number[] = [];
  for (let i = 0; i < length; i++) list.push(value);
  return list;
}
