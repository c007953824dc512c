import type { KeywordHandler } from '../describe.js';
import { additionalProperties } from './additionalProperties.js';
import { anyOf } from './anyOf.js';
import { constKeyword } from './const.js';
import { enumKeyword } from './enum.js';
import { maxProperties } from './maxProperties.js';
import { minItems } from './minItems.js';
import { minLength } from './minLength.js';
import { minProperties } from './minProperties.js';
import { not } from './not.js';
import { pattern } from './pattern.js';
import { propertyNames } from './propertyNames.js';
import { required } from './required.js';
import { type } from './type.js';

/** One translation per JSON Schema keyword the SOP schema uses (a keyword not here gets a generic message). */
export const KEYWORDS: Readonly<Record<string, KeywordHandler>> = {
  type,
  additionalProperties,
  required,
  anyOf,
  not,
  const: constKeyword,
  enum: enumKeyword,
  pattern,
  propertyNames,
  minLength,
  minItems,
  minProperties,
  maxProperties,
};
