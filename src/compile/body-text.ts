import type { MessageContent } from '../api/types.js';

/** The JSON after the destinations of a body of `content`: its keys in toRequestBody's order. */
export function bodyTailOf(content: MessageContent): string {
  let tail = `,"whatsApp":${JSON.stringify(content.whatsApp)}`;
  if (content.scenarioKey !== undefined)
    tail += `,"scenarioKey":${JSON.stringify(content.scenarioKey)}`;
  if (content.sendAt !== undefined) tail += `,"sendAt":${JSON.stringify(content.sendAt)}`;
  return `${tail}}`;
}
