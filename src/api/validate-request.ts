import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** One schema error of a body, with the JSON pointer of the offending value. */
export interface RequestSchemaError {
  /** e.g. /whatsApp/imageUrl */
  instancePath: string;
  /** ajv keyword, e.g. maxLength, pattern, minimum, required */
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

const schemaUrl = (name: string) => new URL(`../../schemas/${name}`, import.meta.url);

function compileSchema(name: string): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaUrl(name), 'utf8')) as object);
}

let requestValidator: ValidateFunction | undefined;
let responseValidator: ValidateFunction | undefined;

function toErrors(errors: ErrorObject[] | null | undefined): RequestSchemaError[] {
  return (errors ?? []).map((e) => ({
    instancePath: e.instancePath,
    keyword: e.keyword,
    message: e.message ?? e.keyword,
    params: { ...e.params },
  }));
}

/** Validates a body against schemas/request.schema.json. */
export function validateRequestBody(body: unknown): RequestSchemaError[] {
  requestValidator ??= compileSchema('request.schema.json');
  return requestValidator(body) ? [] : toErrors(requestValidator.errors);
}

/** Validates an API answer against schemas/response.schema.json. */
export function validateResponseBody(body: unknown): RequestSchemaError[] {
  responseValidator ??= compileSchema('response.schema.json');
  return responseValidator(body) ? [] : toErrors(responseValidator.errors);
}

/** One line per error, e.g. "/whatsApp/imageUrl must match pattern …". */
export function describeSchemaErrors(errors: readonly RequestSchemaError[]): string {
  return errors.map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ');
}
