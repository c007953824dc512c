import type { CliIo } from './io.js';

/**
 * Whether to colour the output, strongest rule first:
 * 1. `--color` / `--no-color` on the command line;
 * 2. `FORCE_COLOR` (as Node and chalk read it): `0` or `false` turns colour off, any other value
 *    (even empty) turns it on, on a terminal or not;
 * 3. `NO_COLOR` (https://no-color.org): any non-empty value turns colour off;
 * 4. otherwise colour only when the output is a terminal.
 */
export function useColor(options: { color?: boolean | undefined }, io: Pick<CliIo, 'isTTY' | 'env'>): boolean {
  if (options.color !== undefined) return options.color;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return io.isTTY === true;
}
