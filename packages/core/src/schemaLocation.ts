/** The `$id` of schemas/sop.schema.json. */
export const SCHEMA_ID = 'https://sopflow.dev/schemas/sop.schema.json';

/** Where schemas/sop.schema.json lives in the sopflow repository (from src/ or dist/ of this package). */
export const SCHEMA_URL: URL = new URL('../../../schemas/sop.schema.json', import.meta.url);

/** The first line of an SOP file that gives editors completion, for a file two folders below the repository root. */
export const SCHEMA_MODELINE = '# yaml-language-server: $schema=../../schemas/sop.schema.json';
