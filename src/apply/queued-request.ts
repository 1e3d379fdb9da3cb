import type { ApiStatus, RequestBody } from '../api/types.js';
import { describeSchemaErrors, validateRequestBody } from '../api/validate-request.js';
import { StateError } from '../errors.js';
import type { MessageOutcome, RequestOutcome } from './apply-result.js';
import type { PlannedRequest, RequestEntry } from './build-requests.js';

/*
 * Requests and outcomes as rows of a shared apply (apply --workers). The rows are state, read
 * back by other processes: checked before anything is sent or summed from them.
 */

const HINT = 'Restore the database from a backup; waspec never changes rows it wrote.';
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function isEntry(v: unknown): v is RequestEntry {
  return (
    isObject(v) &&
    isString(v.messageId) &&
    isString(v.spec) &&
    Number.isInteger(v.revision) &&
    isString(v.phoneNumber) &&
    isString(v.contentHash)
  );
}

/** The request as a row keeps it: the body as it will be sent and what the journal needs of each destination. */
export function payloadOf(request: PlannedRequest): unknown {
  return { body: request.body, entries: request.entries };
}

/** A request row read back: its body valid, its entries those of its destinations, in order. */
export function parseQueuedRequest(payload: unknown, where: string): PlannedRequest {
  const bad = (why: string) =>
    new StateError(
      `${where} is not a request waspec can send (${why}); nothing more is sent.`,
      HINT,
    );
  if (!isObject(payload) || !Array.isArray(payload.entries)) throw bad('no body and entries');
  const errors = validateRequestBody(payload.body);
  if (errors.length > 0) throw bad(describeSchemaErrors(errors.slice(0, 1)));
  const body = payload.body as RequestBody;
  const entries = payload.entries as unknown[];
  const matches =
    entries.length === body.destinations.length &&
    entries.every(
      (e, i) =>
        isEntry(e) &&
        e.messageId === body.destinations[i]?.messageId &&
        e.phoneNumber === body.destinations[i]?.to.phoneNumber,
    );
  if (!matches) throw bad('its entries are not its destinations');
  return { body, entries: entries as RequestEntry[] };
}

function isStatus(v: unknown): v is ApiStatus {
  return (
    isObject(v) &&
    Number.isInteger(v.groupId) &&
    isString(v.groupName) &&
    Number.isInteger(v.id) &&
    isString(v.name) &&
    isString(v.description)
  );
}

function isMessageOutcome(v: unknown): v is MessageOutcome {
  if (!isObject(v) || !isString(v.messageId)) return false;
  if (v.outcome === 'in-doubt') return v.status === undefined || isStatus(v.status);
  return (v.outcome === 'accepted' || v.outcome === 'rejected') && isStatus(v.status);
}

/** An outcome row read back (as `addOutcome` needs it). */
export function parseStoredOutcome(value: unknown, where: string): RequestOutcome {
  const bad = () => new StateError(`The outcome of ${where} is not one waspec wrote.`, HINT);
  if (!isObject(value) || !isString(value.bulkId)) throw bad();
  if (value.kind === 'answered') {
    if (!Array.isArray(value.messages) || !value.messages.every(isMessageOutcome)) throw bad();
    return value as RequestOutcome;
  }
  const problem =
    Number.isInteger(value.messages) &&
    Array.isArray(value.numbers) &&
    value.numbers.every(isString) &&
    isString(value.reason);
  if ((value.kind === 'failed' || value.kind === 'in-doubt') && problem)
    return value as RequestOutcome;
  throw bad();
}
