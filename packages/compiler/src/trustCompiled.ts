/** Configs this process compiled (and nobody has had a chance to edit since): their content
 *  hash is known good, so reading one back need not hash its whole JSON again (half a second
 *  for 50,000 steps). A config from anywhere else (parsed JSON) is checked in full. */
const compiled = new WeakSet<object>();

export function trustCompiled(config: object): void {
  compiled.add(config);
}

export function isTrustedCompiled(config: unknown): boolean {
  return typeof config === 'object' && config !== null && compiled.has(config);
}
