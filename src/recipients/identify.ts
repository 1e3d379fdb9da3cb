import { messageIdFor } from '../api/identity.js';
import { normalizePhoneNumber } from './phone.js';

export interface IdentifyTask {
  numbers: readonly string[];
  spec: string;
  revision: number;
  /** Country of numbers written without + or 00 (the recipient file's defaultCountry). */
  defaultCountry?: string;
}

/** Per input number, in order: its normalised form and messageId, or null when it is not valid. */
export interface Identified {
  phoneNumbers: Array<string | null>;
  messageIds: Array<string | null>;
}

export function identify({ numbers, spec, revision, defaultCountry }: IdentifyTask): Identified {
  const phoneNumbers: Array<string | null> = [];
  const messageIds: Array<string | null> = [];
  for (const raw of numbers) {
    const phoneNumber = normalizePhoneNumber(raw, defaultCountry) ?? null;
    phoneNumbers.push(phoneNumber);
    messageIds.push(phoneNumber === null ? null : messageIdFor(spec, revision, phoneNumber));
  }
  return { phoneNumbers, messageIds };
}

/** An IdentifyTask as the worker gets it: its numbers joined by '\n' when none holds one (one string to copy, not thousands). */
export type PostedTask = Omit<IdentifyTask, 'numbers'> & { numbers: string | readonly string[] };

export function packTask(task: IdentifyTask): PostedTask {
  const joined = task.numbers.join('\n');
  let breaks = 0;
  for (let i = joined.indexOf('\n'); i >= 0; i = joined.indexOf('\n', i + 1)) breaks++;
  // A quoted CSV field may hold a line break: such a batch goes as it is.
  return breaks === task.numbers.length - 1 ? { ...task, numbers: joined } : task;
}

export function unpackTask(task: PostedTask): IdentifyTask {
  return typeof task.numbers === 'string'
    ? { ...task, numbers: task.numbers.split('\n') }
    : (task as IdentifyTask);
}

/** Length of every messageId (a UUID). */
const ID_LENGTH = 36;

/** Identified as two strings: one structured-clone copy each instead of one per number. */
export interface PackedIdentified {
  /** Normalised numbers joined by '\n', an empty one where the input was not valid. */
  phoneNumbers: string;
  /** The messageIds of the valid numbers, concatenated. */
  messageIds: string;
}

export function packIdentified({ phoneNumbers, messageIds }: Identified): PackedIdentified {
  return {
    phoneNumbers: phoneNumbers.map((p) => p ?? '').join('\n'),
    messageIds: messageIds.join(''),
  };
}

export function unpackIdentified(packed: PackedIdentified): Identified {
  const phoneNumbers: Array<string | null> = packed.phoneNumbers.split('\n');
  const messageIds: Array<string | null> = [];
  let at = 0;
  for (let i = 0; i < phoneNumbers.length; i++) {
    if (phoneNumbers[i] === '') {
      phoneNumbers[i] = null;
      messageIds.push(null);
    } else {
      messageIds.push(packed.messageIds.slice(at, at + ID_LENGTH));
      at += ID_LENGTH;
    }
  }
  return { phoneNumbers, messageIds };
}
