import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Sop } from '@sopflow/model';

export function loadFixture(name: string): Sop {
  return parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Sop;
}
