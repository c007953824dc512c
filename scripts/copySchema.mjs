#!/usr/bin/env node
// Ships the SOP JSON Schema inside @sopflow/core: copies schemas/sop.schema.json (the single
// source of truth) to packages/core/schema/sop.schema.json, exported as
// `@sopflow/core/schema/sop.schema.json` and printed by `sopflow schema`. The copy is a build
// output (gitignored, like dist/): `pnpm run build` writes it. Run: `node scripts/copySchema.mjs`.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.join(ROOT, 'schemas', 'sop.schema.json');
const to = path.join(ROOT, 'packages', 'core', 'schema', 'sop.schema.json');
mkdirSync(path.dirname(to), { recursive: true });
copyFileSync(from, to);
