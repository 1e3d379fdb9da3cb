import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import type { SchemaErrorInput } from '../diagnostics/schema-error.js';
import type { Spec } from './types.js';

let validator: ValidateFunction<Spec> | undefined;

function compile(): ValidateFunction<Spec> {
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
  addFormats.default(ajv);
  const schema = JSON.parse(
    readFileSync(new URL('../../schemas/spec.schema.json', import.meta.url), 'utf8'),
  ) as object;
  return ajv.compile<Spec>(schema);
}

/** Validates parsed spec data; errors carry the allowed fields for "did you mean" hints. */
export function validateSpecData(data: unknown): { spec?: Spec; errors: SchemaErrorInput[] } {
  validator ??= compile();
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
