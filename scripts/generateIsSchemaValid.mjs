// Compiles the JSON Schema into `isSchemaValid(data)`: true exactly when ajv's validator accepts
// the data, with no error objects, no instance paths and no message strings. It is what the fast
// path asks of a clean file; ajv's validator (validateSchema.js) still gives every error of a file
// that fails.
//
// Why a second validator: ajv's generated code checks an object by probing each property the
// schema declares (`data.ask !== undefined`, ~25 probes per step, on step objects of many
// shapes), builds an error object for every branch a valid step does not take inside `anyOf` and
// `not`, and makes an instance path string per nested call. Measured over the 1,000-file bench
// corpus (40 steps a file) the check took ~130 ms on a fresh process and ~60 ms warm. The code
// here visits an object's own keys once (`for…in` and a `switch`, as ajv's additionalProperties
// check already does), notes which declared keys are present in a bit set, and reads `required`,
// `anyOf` / `not` of `required`, `dependencies` and `if` from that set.
//
// Only the keywords the SOP schema uses are supported; any other makes the build fail with the
// keyword's name, so the two validators cannot silently disagree. test/isSchemaValid.test.ts holds
// it to ajv on every example and fixture and on thousands of generated documents.

/** Keywords that say nothing about validity (the schema's annotations are stripped before this). */
const IGNORED = new Set(['$schema', '$id', 'definitions']);

const TYPE_TEST = {
  string: (v) => `typeof ${v} === "string"`,
  // as ajv: a number is finite; booleans are not numbers
  number: (v) => `(typeof ${v} === "number" && isFinite(${v}))`,
  integer: (v) => `(typeof ${v} === "number" && !(${v} % 1) && !isNaN(${v}) && isFinite(${v}))`,
  boolean: (v) => `typeof ${v} === "boolean"`,
  null: (v) => `${v} === null`,
  array: (v) => `Array.isArray(${v})`,
  object: (v) => `(${v} !== null && typeof ${v} === "object" && !Array.isArray(${v}))`,
};

/** Which type each type-specific keyword applies to (JSON Schema: to no other value). */
const APPLIES_TO = {
  minLength: 'string',
  pattern: 'string',
  items: 'array',
  minItems: 'array',
  properties: 'object',
  required: 'object',
  additionalProperties: 'object',
  propertyNames: 'object',
  minProperties: 'object',
  maxProperties: 'object',
  dependencies: 'object',
};
const ANY_TYPE = new Set(['type', 'const', 'enum', 'anyOf', 'not', 'if', 'then', 'else', '$ref']);

/** More declared properties than this on one object would overflow the 31-bit set of present keys. */
const MAX_BITS = 30;

const isPrimitive = (value) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

class Compiler {
  constructor(root) {
    this.root = root;
    /** schema node -> name of the function that checks it */
    this.names = new Map();
    this.functions = [];
    /** regex source -> constant name */
    this.patterns = new Map();
    this.usesCodePoints = false;
    /** function body -> name, to share one function between schemas written alike */
    this.bodies = new Map();
  }

  fail(path, why) {
    throw new Error(
      `generateIsSchemaValid: ${why} at ${path || '#'} (extend scripts/generateIsSchemaValid.mjs, or keep the schema to what it supports)`,
    );
  }

  /** The schema a `$ref` names, and its path. */
  resolve(ref, path) {
    if (ref === '#') return { schema: this.root, path: '#' };
    const m = /^#\/definitions\/([^/]+)$/.exec(ref);
    if (!m || !this.root.definitions || !(m[1] in this.root.definitions)) this.fail(path, `unsupported $ref ${ref}`);
    return { schema: this.root.definitions[m[1]], path: `#/definitions/${m[1]}` };
  }

  /** The name of a function `(d) => boolean` for `schema`, compiled on first use. */
  fn(schema, path) {
    if (schema === true) return 'yes';
    if (schema === false) return 'no';
    if (schema.$ref !== undefined && Object.keys(schema).length === 1) {
      const target = this.resolve(schema.$ref, path);
      return this.fn(target.schema, target.path);
    }
    let name = this.names.get(schema);
    if (name) return name;
    // a provisional name, renamed in the order the functions are written once all are made
    name = `$check${this.names.size}$`;
    this.names.set(schema, name); // before the body: a schema that refers to itself calls this function
    const body = this.statements(schema, 'd', path);
    // schemas written alike (`type: string, minLength: 1` in a dozen places) share one function
    const same = this.bodies.get(body);
    if (same && !body.includes(name)) {
      this.names.set(schema, same);
      return same;
    }
    this.bodies.set(body, name);
    this.functions.push(`function ${name}(d) {\n${body}  return true;\n}`);
    return name;
  }

  /** A boolean expression for "`v` is valid against `schema`": inline for the simplest schemas. */
  valueExpr(schema, v, path) {
    if (schema && typeof schema === 'object') {
      const keys = Object.keys(schema);
      if (keys.length === 1 && keys[0] === 'const' && isPrimitive(schema.const)) return `${v} === ${JSON.stringify(schema.const)}`;
      if (keys.length === 1 && keys[0] === 'enum' && schema.enum.every(isPrimitive))
        return `(${schema.enum.map((e) => `${v} === ${JSON.stringify(e)}`).join(' || ')})`;
    }
    return `${this.fn(schema, path)}(${v})`;
  }

  pattern(source) {
    let name = this.patterns.get(source);
    if (!name) this.patterns.set(source, (name = `p${this.patterns.size}`));
    return name;
  }

  /** Statements that `return false` when `v` fails `schema`. */
  statements(schema, v, path) {
    if (schema === true) return '';
    if (schema === false) return '  return false;\n';
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) this.fail(path, 'a schema that is not an object');
    if (schema.$ref !== undefined) {
      if (Object.keys(schema).length > 1) this.fail(path, '$ref beside other keywords');
      return `  if (!${this.fn(schema, path)}(${v})) return false;\n`;
    }
    let out = '';
    for (const key of Object.keys(schema)) {
      if (!IGNORED.has(key) && !ANY_TYPE.has(key) && !(key in APPLIES_TO)) this.fail(`${path}/${key}`, `unsupported keyword "${key}"`);
    }
    const types = schema.type === undefined ? undefined : [schema.type].flat();
    if (types) {
      for (const t of types) if (!TYPE_TEST[t]) this.fail(`${path}/type`, `unknown type ${t}`);
      out += `  if (!(${types.map((t) => TYPE_TEST[t](v)).join(' || ')})) return false;\n`;
    }
    if (schema.const !== undefined) {
      if (!isPrimitive(schema.const)) this.fail(`${path}/const`, 'a const that is not a string, number, boolean or null');
      out += `  if (${v} !== ${JSON.stringify(schema.const)}) return false;\n`;
    }
    if (schema.enum !== undefined) {
      if (!schema.enum.every(isPrimitive)) this.fail(`${path}/enum`, 'an enum value that is not a string, number, boolean or null');
      out += `  if (!(${schema.enum.map((e) => `${v} === ${JSON.stringify(e)}`).join(' || ')})) return false;\n`;
    }
    // an object's own anyOf / not / if are read from its set of keys, in its object branch
    const onlyObject = types !== undefined && types.length === 1 && types[0] === 'object';
    // keywords for one type: unguarded when `type` says it is the only one, else only for values of it
    for (const type of ['string', 'array', 'object']) {
      const body = this.typed(type, schema, v, path, onlyObject);
      if (!body) continue;
      out += types && types.length === 1 && types[0] === type ? body : `  if (${TYPE_TEST[type](v)}) {\n${indent(body)}  }\n`;
    }
    if (onlyObject) return out;
    if (schema.anyOf)
      out += `  if (!(${schema.anyOf.map((s, i) => this.valueExpr(s, v, `${path}/anyOf/${i}`)).join(' || ')})) return false;\n`;
    if (schema.not !== undefined) out += `  if (${this.valueExpr(schema.not, v, `${path}/not`)}) return false;\n`;
    if (schema.if !== undefined) out += this.conditional(schema, path, (s, p) => this.valueExpr(s, v, p));
    return out;
  }

  /** `if` / `then` / `else`, each made an expression by `expr(subschema, path)`. */
  conditional(schema, path, expr) {
    let out = `  if (${expr(schema.if, `${path}/if`)}) {\n`;
    if (schema.then !== undefined) out += `    if (!(${expr(schema.then, `${path}/then`)})) return false;\n`;
    out += '  }';
    if (schema.else !== undefined) out += ` else if (!(${expr(schema.else, `${path}/else`)})) return false;`;
    return `${out}\n`;
  }

  typed(type, schema, v, path, ownConditions) {
    if (type === 'string') {
      let out = '';
      if (schema.minLength !== undefined) {
        // a non-empty string has at least one code point: only longer minimums need the count
        if (schema.minLength <= 1) out += `  if (${v}.length < ${schema.minLength}) return false;\n`;
        else {
          this.usesCodePoints = true;
          out += `  if (codePoints(${v}) < ${schema.minLength}) return false;\n`;
        }
      }
      if (schema.pattern !== undefined) out += `  if (!${this.pattern(schema.pattern)}.test(${v})) return false;\n`;
      return out;
    }
    if (type === 'array') {
      let out = '';
      if (schema.minItems !== undefined) out += `  if (${v}.length < ${schema.minItems}) return false;\n`;
      if (schema.items !== undefined) {
        if (Array.isArray(schema.items)) this.fail(`${path}/items`, 'tuple items');
        const item = this.valueExpr(schema.items, `${v}[i]`, `${path}/items`);
        out += `  for (let i = 0; i < ${v}.length; i++) if (!(${item})) return false;\n`;
      }
      return out;
    }
    return this.object(schema, v, path, ownConditions);
  }

  /**
   * An object: one pass over its keys (each checked against `properties`, `additionalProperties`
   * and `propertyNames`), the declared keys present noted in `seen`; then `required`,
   * `dependencies` and the conditions on the same object, read from `seen` where they only ask
   * which keys are there.
   */
  object(schema, v, path, ownConditions) {
    const keywords = ['properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties', 'dependencies'];
    const conditions = ownConditions && (schema.anyOf !== undefined || schema.not !== undefined || schema.if !== undefined);
    if (!conditions && !keywords.some((k) => schema[k] !== undefined)) return '';
    const declared = Object.keys(schema.properties ?? {});
    if (declared.length > MAX_BITS) this.fail(`${path}/properties`, `more than ${MAX_BITS} properties on one object`);
    const bit = new Map(declared.map((name, i) => [name, 1 << i]));
    const present = (name) => (bit.has(name) ? `(seen & ${bit.get(name)}) !== 0` : `${v}[${JSON.stringify(name)}] !== undefined`);
    const requiredExpr = (names) => {
      const mask = names.filter((n) => bit.has(n)).reduce((m, n) => m | bit.get(n), 0);
      const parts = mask ? [`(seen & ${mask}) === ${mask}`] : [];
      for (const n of names) if (!bit.has(n)) parts.push(present(n));
      return parts.length ? parts.join(' && ') : 'true';
    };
    // a condition on this same object, as an expression over `seen` when it only names keys
    const sameObject = (s, p) => {
      if (s === true) return 'true';
      if (s === false) return 'false';
      const keys = Object.keys(s);
      const parts = [];
      for (const k of keys) {
        if (k === 'required') parts.push(`(${requiredExpr(s.required)})`);
        else if (k === 'anyOf') parts.push(`(${s.anyOf.map((x, i) => sameObject(x, `${p}/anyOf/${i}`)).join(' || ')})`);
        else if (k === 'not') parts.push(`!(${sameObject(s.not, `${p}/not`)})`);
        else if (k === 'properties' && Object.keys(s.properties).every((n) => bit.has(n)))
          for (const [n, sub] of Object.entries(s.properties))
            parts.push(`(!(${present(n)}) || ${this.valueExpr(sub, `${v}[${JSON.stringify(n)}]`, `${p}/properties/${n}`)})`);
        else return this.valueExpr(s, v, p); // anything else: the whole subschema's own check
      }
      return parts.length ? parts.join(' && ') : 'true';
    };
    const counted = schema.minProperties !== undefined || schema.maxProperties !== undefined;
    let loop = '';
    if (schema.propertyNames !== undefined)
      loop += `    if (!(${this.valueExpr(schema.propertyNames, 'k', `${path}/propertyNames`)})) return false;\n`;
    let cases = '';
    declared.forEach((name) => {
      const check = this.valueExpr(schema.properties[name], 'x', `${path}/properties/${name}`);
      // as ajv: a declared key whose value is undefined is neither checked nor present
      cases += `      case ${JSON.stringify(name)}:\n        if (x !== undefined) {\n          seen |= ${bit.get(name)};\n          if (!(${check})) return false;\n        }\n        break;\n`;
    });
    let fallback = '';
    if (schema.additionalProperties === false) fallback = '        return false;\n';
    else if (schema.additionalProperties !== undefined && schema.additionalProperties !== true)
      fallback = `        if (!(${this.valueExpr(schema.additionalProperties, 'x', `${path}/additionalProperties`)})) return false;\n`;
    if (cases || fallback) {
      loop += '    const x = ' + v + '[k];\n';
      loop += cases ? `    switch (k) {\n${cases}      default:\n${fallback}    }\n` : fallback.replace(/^ {8}/gm, '    ');
    }
    let out = `  let seen = 0;\n  for (const k in ${v}) {\n${loop}  }\n`;
    if (counted) out += `  const size = Object.keys(${v}).length;\n`;
    if (schema.minProperties !== undefined) out += `  if (size < ${schema.minProperties}) return false;\n`;
    if (schema.maxProperties !== undefined) out += `  if (size > ${schema.maxProperties}) return false;\n`;
    if (schema.required) out += `  if (!(${requiredExpr(schema.required)})) return false;\n`;
    for (const [name, dep] of Object.entries(schema.dependencies ?? {})) {
      const expr = Array.isArray(dep) ? requiredExpr(dep) : sameObject(dep, `${path}/dependencies/${name}`);
      out += `  if (${present(name)} && !(${expr})) return false;\n`;
    }
    if (!ownConditions) return out;
    if (schema.anyOf) out += `  if (!(${schema.anyOf.map((s, i) => sameObject(s, `${path}/anyOf/${i}`)).join(' || ')})) return false;\n`;
    if (schema.not !== undefined) out += `  if (${sameObject(schema.not, `${path}/not`)}) return false;\n`;
    if (schema.if !== undefined) out += this.conditional(schema, path, sameObject);
    return out;
  }
}

const indent = (text) => text.replace(/^/gm, '  ').replace(/ +$/, '');

/** The module's source for a schema (annotations already stripped), deterministic. */
export function generateIsSchemaValidSource(schema, header) {
  const compiler = new Compiler(schema);
  const top = compiler.fn(schema, '#');
  // final names: check0, check1… in the order the functions are written
  const final = new Map(compiler.functions.map((f, i) => [/^function (\$check\d+\$)/.exec(f)[1], `check${i}`]));
  const rename = (code) => code.replace(/\$check\d+\$/g, (n) => final.get(n));
  const patterns = [...compiler.patterns].map(([source, name]) => `const ${name} = new RegExp(${JSON.stringify(source)}, "u");`);
  const helpers = [
    'const yes = () => true;',
    'const no = () => false;',
    ...(compiler.usesCodePoints
      ? ['/** Code points, as ajv counts for minLength. */', 'const codePoints = (s) => { let n = 0; for (const _ of s) n++; return n; };']
      : []),
  ];
  return `${header}${patterns.join('\n')}\n${helpers.join('\n')}\n\n${rename(compiler.functions.join('\n\n'))}\n\n/** True when ajv's validator for the same schema accepts \`data\`; may throw on exotic input (then: not known valid). */\nexport function isSchemaValid(data) {\n  return ${rename(top)}(data);\n}\nexport default isSchemaValid;\n`;
}
