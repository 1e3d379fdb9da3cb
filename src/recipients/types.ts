import type { SourcePosition, Vars } from '../message-spec/types.js';
import type { ValuePlaces } from './value-places.js';

/** One recipient after normalisation: digits-only international number. */
export interface Recipient {
  phoneNumber: string;
  /** Deterministic id of this recipient's message (spec name, revision, phone number). */
  messageId: string;
  /** Recipient vars only (spec vars are merged in by render). */
  vars: Vars;
  /** Where this recipient was defined: the spec line, or the CSV/NDJSON line. */
  origin: SourcePosition;
  /** Where each variable's value is (a CSV field, a spreadsheet cell), when known. */
  places?: ValuePlaces;
  /** `invalid: hold`: a problem with this recipient's values leaves it out instead of failing the run. */
  hold?: ExcludeSink;
}

/** Why a recipient is left out by `invalid: hold` or `duplicates: first`. */
export type ExclusionCode = 'phone-invalid' | 'variable-empty' | 'phone-duplicate-conflict';

/**
 * A recipient row left out of the plan on purpose, with the reason: it has no messageId (an
 * invalid number has none), so it is listed by where it is. The number is masked.
 */
export interface ExcludedRecipient {
  spec: string;
  file: string;
  /** 0-based, like every stored position. */
  line: number;
  column: number;
  /** In a spreadsheet: the cell of the value (Sheet1!C5). */
  cell?: string;
  /** The number as written, masked (155****8467). */
  phone: string;
  code: ExclusionCode;
  reason: string;
}

/** Where excluded recipients go while the specs are compiled. */
export type ExcludeSink = (row: ExcludedRecipient) => void;
