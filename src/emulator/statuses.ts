import type { ApiStatus } from '../api/types.js';

/** The normal answer to a send: accepted, in flight (Infobip's PENDING_ACCEPTED). */
export const PENDING_ACCEPTED: ApiStatus = {
  groupId: 1,
  groupName: 'PENDING',
  id: 26,
  name: 'PENDING_ACCEPTED',
  description: 'Message sent to next instance',
};

export const REJECTED_DESTINATION: ApiStatus = {
  groupId: 5,
  groupName: 'REJECTED',
  id: 51,
  name: 'REJECTED_DESTINATION',
  description: 'The destination is not a WhatsApp user or has blocked business messages',
  action: 'Remove the number from the recipients or reach it on another channel',
};
