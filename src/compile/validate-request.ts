/** One schema error of a request body, with the JSON pointer of the offending value. */
export interface RequestSchemaError {
  /** e.g. /whatsApp/imageUrl */
  instancePath: string;
  /** ajv keyword, e.g. maxLength, pattern, minimum, required */
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

/** Validates a body against schemas/request.schema.json. */
export function validateRequestBody(body: unknown): RequestSchemaError[] {
  throw new Error(`validateRequestBody is not built yet (${typeof body})`);
}

/** Validates an API answer against schemas/response.schema.json. */
export function validateResponseBody(body: unknown): RequestSchemaError[] {
  throw new Error(`validateResponseBody is not built yet (${typeof body})`);
}
