import { messageIdFor } from '../api/identity.js';
import { normalizePhoneNumber } from './phone.js';

export interface IdentifyTask {
  numbers: readonly string[];
  spec: string;
  revision: number;
}

/** Per input number, in order: its normalised form and messageId, or null when it is not valid. */
export interface Identified {
  phoneNumbers: Array<string | null>;
  messageIds: Array<string | null>;
}

export function identify({ numbers, spec, revision }: IdentifyTask): Identified {
  const phoneNumbers: Array<string | null> = [];
  const messageIds: Array<string | null> = [];
  for (const raw of numbers) {
    const phoneNumber = normalizePhoneNumber(raw) ?? null;
    phoneNumbers.push(phoneNumber);
    messageIds.push(phoneNumber === null ? null : messageIdFor(spec, revision, phoneNumber));
  }
  return { phoneNumbers, messageIds };
}
