import type { Diagnostic } from '@sopflow/model';
import type { LocatedDocument } from '../parse/LocatedDocument.js';
import validate from '../generated/validateSchema.js';
import { translateSchemaErrors } from './translateSchemaErrors.js';

/** Runs the precompiled JSON Schema validator; [] when the data is a valid SOP. */
export function checkSchema(data: unknown, located: LocatedDocument): Diagnostic[] {
  if (validate(data)) return [];
  return translateSchemaErrors(validate.errors ?? [], data, located);
}
