import type { ValidateFunction } from 'ajv';
import { loadSchemaValidator, schemaErrorInputs } from '../diagnostics/schema-validator.js';
import type { SchemaErrorInput } from '../diagnostics/schema-error.js';
import type { Spec } from './types.js';

let validator: ValidateFunction<Spec> | undefined;

/** Validates parsed spec data; errors carry the allowed fields for "did you mean" hints. */
export function validateSpecData(data: unknown): { spec?: Spec; errors: SchemaErrorInput[] } {
  validator ??= loadSchemaValidator<Spec>('spec');
  if (validator(data)) return { spec: data, errors: [] };
  return { errors: schemaErrorInputs(validator.errors) };
}
