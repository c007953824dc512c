import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { CHOICE_KEYS, CONDITION_KEYS, FIELD_KEYS, LIMIT_KEYS, LIST_ITEMS_KEYS, SOP_KEYS, STEP_KEYS } from '@sopflow/model';
import {
  AJV_OPTIONS,
  ANNOTATION_KEYWORDS,
  ANNOTATIONS_DTS,
  ANNOTATIONS_FILE,
  DTS,
  IS_VALID_DTS,
  OUT_DIR,
  SCHEMA_FILE,
  generateAnnotationsSource,
  generateIsSchemaValid,
  generateValidatorSource,
  // @ts-expect-error: a plain .mjs script without types
} from '../../../scripts/generate.mjs';
import { SCHEMA_ID, SCHEMA_URL } from '../src/index.js';

const require = createRequire(import.meta.url);
const schemaText = readFileSync(SCHEMA_FILE, 'utf8');
const schema = JSON.parse(schemaText);

describe('schemas/sop.schema.json', () => {
  test('is a valid draft-07 schema that ajv compiles in strict mode', () => {
    const Ajv = require('ajv').default;
    const ajv = new Ajv(AJV_OPTIONS);
    for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword(keyword);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(ajv.validateSchema(schema)).toBe(true);
    const validate = ajv.compile(schema);
    expect(validate({ sopflow: 1, id: 'a', title: 'A', instructions: [{ do: 'x' }] })).toBe(true);
    expect(validate({ sopflow: 1, id: 'a', title: 'A', instructions: [{ do: 'x', nxt: 'y' }] })).toBe(false);
  });

  test('what editors see: the raw schema accepts every valid fixture, as the precompiled one does', async () => {
    const { readdirSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const Ajv = require('ajv').default;
    const ajv = new Ajv(AJV_OPTIONS);
    for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword(keyword);
    const validate = ajv.compile(schema);
    const dir = new URL('./fixtures/valid/', import.meta.url);
    const files = readdirSync(dir).filter((f: string) => f.endsWith('.sop.yaml'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(validate(parse(readFileSync(new URL(f, dir), 'utf8'), { merge: true })), f).toBe(true);
  });

  test('the exported id and URL point at the schema', () => {
    expect(schema.$id).toBe(SCHEMA_ID);
    expect(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')).$id).toBe(SCHEMA_ID);
  });

  test("its keys are exactly the model's keys (no drift)", () => {
    const d = schema.definitions;
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(schema.properties)).toEqual(keys(SOP_KEYS));
    expect(keys(d.step.properties)).toEqual(keys(STEP_KEYS));
    expect(keys(d.choice.properties)).toEqual(keys(CHOICE_KEYS));
    expect(keys(d.limit.properties)).toEqual(keys(LIMIT_KEYS));
    expect(keys(d.field.properties)).toEqual(keys(FIELD_KEYS));
    expect(keys(d.listItems.properties)).toEqual(keys(LIST_ITEMS_KEYS));
    expect(keys(d.condition.properties)).toEqual(keys(CONDITION_KEYS));
  });

  test('every object rejects unknown keys, and every key has a description', () => {
    const objects: [string, any][] = [
      ['root', schema],
      ...Object.entries(schema.definitions as Record<string, any>).filter(([, s]) => s.properties),
    ];
    for (const [name, s] of objects) {
      expect(s.additionalProperties, name).toBe(false);
      for (const [key, prop] of Object.entries(s.properties as Record<string, any>)) {
        expect(typeof prop.description, `${name}.${key}`).toBe('string');
      }
    }
  });
});

describe('the precompiled validator (packages/core/src/generated)', () => {
  test('is up to date with the schema: run `pnpm run generate` when this fails', () => {
    const committed = readFileSync(`${OUT_DIR}/validateSchema.js`, 'utf8');
    expect(committed === generateValidatorSource(schemaText), 'validateSchema.js is stale').toBe(true);
    expect(readFileSync(`${OUT_DIR}/validateSchema.d.ts`, 'utf8')).toBe(DTS);
    expect(readFileSync(`${OUT_DIR}/isSchemaValid.js`, 'utf8') === generateIsSchemaValid(schemaText), 'isSchemaValid.js is stale').toBe(
      true,
    );
    expect(readFileSync(`${OUT_DIR}/isSchemaValid.d.ts`, 'utf8')).toBe(IS_VALID_DTS);
    expect(readFileSync(ANNOTATIONS_FILE, 'utf8') === generateAnnotationsSource(schemaText), 'schemaAnnotations.js is stale').toBe(true);
    expect(readFileSync(`${OUT_DIR}/schemaAnnotations.d.ts`, 'utf8')).toBe(ANNOTATIONS_DTS);
  });

  test('is pure ESM with no require( and no quadratic concat, and stays small', () => {
    const code = readFileSync(`${OUT_DIR}/validateSchema.js`, 'utf8');
    expect(code).not.toMatch(/\brequire\(/);
    expect(code).not.toContain('.concat(');
    expect(code).toContain('export default');
    expect(code.length).toBeLessThan(200_000);
  });

  test('minLength counts code points, as ajv does: surrogate pairs, lone surrogates, empty (property)', async () => {
    const fc = (await import('fast-check')).default;
    const { default: precompiled } = await import('../src/generated/validateSchema.js');
    const Ajv = require('ajv').default;
    const ajv = new Ajv(AJV_OPTIONS);
    for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword(keyword);
    const reference = ajv.compile(schema);
    const piece = fc.constantFrom('', 'a', '\ud83d\ude00', '\ud83d', '\ude00', ' ', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 4 }), (pieces) => {
        const text = pieces.join('');
        const data = { sopflow: 1, id: 'a', title: text, instructions: [{ do: text }] };
        expect(precompiled(data)).toBe(reference(data));
      }),
      { numRuns: 500 },
    );
    expect(precompiled({ sopflow: 1, id: 'a', title: '\ud83d\ude00', instructions: [{ do: 'x' }] })).toBe(true);
    expect(precompiled({ sopflow: 1, id: 'a', title: '', instructions: [{ do: 'x' }] })).toBe(false);
  });

  test('generating twice gives the same text (deterministic)', () => {
    expect(generateValidatorSource(schemaText)).toBe(generateValidatorSource(schemaText));
  });
});
