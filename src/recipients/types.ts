import type { SourcePosition, Vars } from '../message-spec/types.js';

/** One recipient after normalisation: digits-only international number. */
export interface Recipient {
  phoneNumber: string;
  /** Deterministic id of this recipient's message (spec name, revision, phone number). */
  messageId: string;
  /** Recipient vars only (spec vars are merged in by render). */
  vars: Vars;
  /** Where this recipient was defined: the spec line, or the CSV/NDJSON line. */
  origin: SourcePosition;
}
