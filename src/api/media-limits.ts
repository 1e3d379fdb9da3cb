import type { WhatsApp } from './types.js';

/** What the sendWhatsappMessage reference allows of each kind of media it takes by URL. */
export interface MediaRule {
  /** Content types that match the file types the reference names. */
  types: readonly string[];
  /** As the reference says them, for messages. */
  named: string;
  maxBytes: number;
}

const MB = 1024 * 1024;

/** The reference's limits (images JPG/JPEG/PNG ≤ 2 MB, audio AAC ≤ 2 MB, video MP4 ≤ 10 MB); it takes no documents or stickers. */
export const MEDIA_RULES = {
  image: {
    types: ['image/jpeg', 'image/jpg', 'image/png'],
    named: 'JPG, JPEG or PNG',
    maxBytes: 2 * MB,
  },
  audio: { types: ['audio/aac', 'audio/x-aac', 'audio/aacp'], named: 'AAC', maxBytes: 2 * MB },
  video: { types: ['video/mp4'], named: 'MP4', maxBytes: 10 * MB },
} as const satisfies Record<string, MediaRule>;

export type MediaKind = keyof typeof MEDIA_RULES;

/** A media URL in a message, with the field (a spec path) that gives it. */
export interface MediaField {
  url: string;
  kind: MediaKind;
  path: ReadonlyArray<string | number>;
}

/** Every media URL of a message, with its field. */
export function mediaFieldsOf(w: WhatsApp): MediaField[] {
  const out: MediaField[] = [];
  const add = (url: string | undefined, kind: MediaKind, path: Array<string | number>) => {
    if (url !== undefined) out.push({ url, kind, path: ['whatsApp', ...path] });
  };
  add(w.imageUrl, 'image', ['imageUrl']);
  add(w.audioUrl, 'audio', ['audioUrl']);
  add(w.videoUrl, 'video', ['videoUrl']);
  const header = w.mediaTemplateData?.header;
  add(header?.imageUrl, 'image', ['mediaTemplateData', 'header', 'imageUrl']);
  add(header?.videoUrl, 'video', ['mediaTemplateData', 'header', 'videoUrl']);
  return out;
}

/** What checking one media URL found. */
export type MediaVerdict = { ok: true } | { ok: false; message: string; hint?: string };

/** Checks a media URL (the transport fetches it); the same URL is answered from a cache. */
export type MediaCheck = (url: string, kind: MediaKind) => Promise<MediaVerdict>;
