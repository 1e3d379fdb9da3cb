/** WhatsApp's longest text: no variable longer than it can be sent. */
export const MAX_VALUE_CHARS = 4096;
