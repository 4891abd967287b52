import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIV3 } from 'openapi-types';

const int32Minimum = -2147483648;
const int32Maximum = 2147483647;

/**
 * Builds the Ajv instance that checks values against OpenAPI 3.0 schemas.
 * Ajv understands OpenAPI's `nullable`; the OpenAPI-only annotations
 * (`example`, `readOnly`, `xml` and so on) are ignored through `strict: false`.
 */
function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, verbose: true });
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (value: number) => Number.isInteger(value) && value >= int32Minimum && value <= int32Maximum,
  });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  return ajv;
}

const sharedAjv = createAjv();
const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles a schema once and returns its validator; schemas are keyed by identity. */
export function validatorFor(schema: OpenAPIV3.SchemaObject): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = sharedAjv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Validates a value and returns Ajv's errors, or an empty list. */
export function schemaErrors(schema: OpenAPIV3.SchemaObject, value: unknown): ErrorObject[] {
  const validate = validatorFor(schema);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

export type { ErrorObject };
