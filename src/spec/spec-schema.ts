import type { ValidateFunction } from 'ajv';
import { loadSchemaValidator } from '../diagnostics/schema-validator.js';
import type { SchemaErrorInput } from '../diagnostics/schema-error.js';
import type { Spec } from './types.js';

let validator: ValidateFunction<Spec> | undefined;

/** Validates parsed spec data; errors carry the allowed fields for "did you mean" hints. */
export function validateSpecData(data: unknown): { spec?: Spec; errors: SchemaErrorInput[] } {
  validator ??= loadSchemaValidator<Spec>('spec');
  if (validator(data)) return { spec: data, errors: [] };
  const errors = (validator.errors ?? []).map((e) => {
    const parent: unknown = e.parentSchema;
    const properties =
      parent && typeof parent === 'object' && 'properties' in parent && parent.properties && typeof parent.properties === 'object'
        ? Object.keys(parent.properties)
        : undefined;
    const input: SchemaErrorInput = {
      instancePath: e.instancePath,
      keyword: e.keyword,
      message: e.message ?? e.keyword,
      params: { ...e.params },
    };
    if (properties) input.knownFields = properties;
    return input;
  });
  return { errors };
}
