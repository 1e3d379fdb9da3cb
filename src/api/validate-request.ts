import type { ErrorObject, ValidateFunction } from 'ajv';
import { loadSchemaValidator } from '../diagnostics/schema-validator.js';

/** One schema error of a body, with the JSON pointer of the offending value. */
export interface RequestSchemaError {
  /** e.g. /whatsApp/imageUrl */
  instancePath: string;
  /** ajv keyword, e.g. maxLength, pattern, minimum, required */
  keyword: string;
  message: string;
  params: Record<string, unknown>;
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
  requestValidator ??= loadSchemaValidator('request');
  return requestValidator(body) ? [] : toErrors(requestValidator.errors);
}

/** Validates an API answer against schemas/response.schema.json. */
export function validateResponseBody(body: unknown): RequestSchemaError[] {
  responseValidator ??= loadSchemaValidator('response');
  return responseValidator(body) ? [] : toErrors(responseValidator.errors);
}

/** One line per error, e.g. "/whatsApp/imageUrl must match pattern …". */
export function describeSchemaErrors(errors: readonly RequestSchemaError[]): string {
  return errors.map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ');
}
