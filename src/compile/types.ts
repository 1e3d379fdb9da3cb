import type { MessageContent } from '../api/types.js';
import type { SourcePosition } from '../message-spec/types.js';

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
  /** The value of each variable the message uses (what plans summarise; no other recipient data). */
  vars?: Readonly<Record<string, string>>;
  /**
   * A test message to one of the spec's seeds (`seed:`): the content of its sample recipient, its
   * messageId from the content hash and the seed's number (never a recipient's).
   */
  seed?: true;
}
