// Hand-made journal records for the state and plan tests.
import type { JournalRecord } from '../../src/state/types.js';
import { maskPhone } from '../../src/diagnostics/mask-phone.js';

export interface MessageRef {
  messageId: string;
  spec: string;
  revision?: number;
  phoneNumber: string;
  contentHash: string;
}

export function inFlight(bulkId: string, at: string, messages: MessageRef[]): JournalRecord {
  return {
    v: 1,
    type: 'in-flight',
    at,
    bulkId,
    messages: messages.map((m) => ({
      messageId: m.messageId,
      spec: m.spec,
      revision: m.revision ?? 1,
      phoneNumber: m.phoneNumber,
      maskedPhoneNumber: maskPhone(m.phoneNumber),
      contentHash: m.contentHash,
    })),
  };
}

export function outcome(
  bulkId: string,
  at: string,
  results: Array<{
    messageId: string;
    outcome: 'accepted' | 'rejected' | 'failed';
    statusName?: string;
    error?: string;
    httpStatus?: number;
  }>,
): JournalRecord {
  return {
    v: 1,
    type: 'outcome',
    at,
    bulkId,
    results: results.map((r) => ({
      messageId: r.messageId,
      outcome: r.outcome,
      ...(r.statusName
        ? {
            status: {
              groupId: r.outcome === 'accepted' ? 1 : 5,
              groupName: r.outcome === 'accepted' ? 'PENDING' : 'REJECTED',
              id: 7,
              name: r.statusName,
              description: r.statusName,
            },
          }
        : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(r.httpStatus ? { httpStatus: r.httpStatus } : {}),
    })),
  };
}
