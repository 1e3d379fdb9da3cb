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

/** Table 11: the status object the API returns per destination. Kept as it came. */
export interface ApiStatus {
  groupId: number;
  groupName: string;
  id: number;
  name: string;
  description: string;
  action?: string;
}

/** Table 12 */
export interface ApiResponse {
  messages: Array<{
    to: { phoneNumber: string };
    status: ApiStatus;
    messageId: string;
  }>;
  bulkId: string;
}
