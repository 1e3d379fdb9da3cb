import type { SourcePosition } from '../spec/types.js';

/** Table 5 */
export interface HeaderObject {
  textPlaceholder?: string;
  imageUrl?: string;
  videoUrl?: string;
  latitude?: number;
  longitude?: number;
}

/** Table 7 */
export interface ButtonObject {
  urlPlaceholder?: string;
  quickReplyPayload?: string;
}

/** Table 4 */
export interface MediaTemplateData {
  header?: HeaderObject;
  body?: { placeholders: string[] };
  buttons?: ButtonObject[];
}

/** Table 3: the rendered whatsApp object as sent. */
export interface WhatsApp {
  text?: string;
  imageUrl?: string;
  audioUrl?: string;
  videoUrl?: string;
  locationName?: string;
  address?: string;
  longitude?: number;
  latitude?: number;
  templateName?: string;
  templateData?: string[];
  language?: string;
  mediaTemplateData?: MediaTemplateData;
}

/** Everything in a request body that is not per-destination. Identical content → shared requests. */
export interface MessageContent {
  whatsApp: WhatsApp;
  sendAt?: string;
  scenarioKey?: string;
}

export interface Destination {
  messageId: string;
  to: { phoneNumber: string };
}

/** Table 2: the request body of sendWhatsappMessage. */
export interface RequestBody {
  scenarioKey?: string;
  bulkId: string;
  destinations: Destination[];
  whatsApp: WhatsApp;
  sendAt?: string;
}

/** One message to one recipient, compiled. */
export interface CompiledMessage {
  spec: string;
  revision: number;
  /** UUID derived from (spec name, revision, phone number). */
  messageId: string;
  phoneNumber: string;
  /** sha256 hex of the canonical JSON of `content` (compile computes it on first read). */
  readonly contentHash: string;
  /** Equal for equal content within one spec (its JSON text): what requests are grouped by. */
  readonly contentKey: string;
  /** Shared by reference between messages with the same contentKey. */
  content: MessageContent;
  origin: SourcePosition;
}
