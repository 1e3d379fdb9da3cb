import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceMap } from './source-map.js';
import type { Spec, WhatsAppSpec } from './types.js';

const KINDS: Record<string, ReadonlyArray<keyof WhatsAppSpec>> = {
  text: ['text'],
  image: ['imageUrl'],
  audio: ['audioUrl'],
  video: ['videoUrl'],
  location: ['locationName', 'address', 'latitude', 'longitude'],
  template: ['templateName', 'templateData', 'language', 'mediaTemplateData'],
};

// ISO 8601 date-time with an explicit offset (Z or ±hh:mm).
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Rules the schema cannot say: one kind of content, fields that go together, sendAt's form. */
export function checkContentRules(spec: Spec, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const w = spec.whatsApp;
  const at = (path: Array<string | number>) => map.locate(path);
  const kinds = Object.entries(KINDS).filter(([, fields]) =>
    fields.some((f) => w[f] !== undefined),
  );
  if (kinds.length === 0) {
    out.push(
      makeDiagnostic('content-missing', 'whatsApp has no content', at(['whatsApp']), {
        hint: 'set one of text, imageUrl, audioUrl, videoUrl, a location (latitude/longitude) or templateName',
      }),
    );
  } else if (kinds.length > 1) {
    const second = kinds[1];
    const field = second?.[1].find((f) => w[f] !== undefined) ?? 'whatsApp';
    out.push(
      makeDiagnostic(
        'content-conflict',
        `whatsApp mixes ${kinds.map(([k]) => k).join(' and ')} content; a message has one kind`,
        map.locateKey(['whatsApp', field]),
        { hint: 'split it into separate specs' },
      ),
    );
  }
  if (w.templateName !== undefined && w.language === undefined) {
    out.push(
      makeDiagnostic(
        'template-language-missing',
        'templateName is set without language',
        map.locateKey(['whatsApp', 'templateName']),
        {
          hint: 'add the language the template was registered with, e.g. language: en_GB',
        },
      ),
    );
  }
  checkPair(out, map, ['whatsApp'], w.latitude, w.longitude);
  const header = w.mediaTemplateData?.header;
  if (header)
    checkPair(
      out,
      map,
      ['whatsApp', 'mediaTemplateData', 'header'],
      header.latitude,
      header.longitude,
    );
  if (w.mediaTemplateData !== undefined && w.templateName === undefined) {
    out.push(
      makeDiagnostic(
        'media-template-without-template',
        'mediaTemplateData is set without templateName',
        map.locateKey(['whatsApp', 'mediaTemplateData']),
        { hint: 'name the media template with templateName and language' },
      ),
    );
  }
  if (
    typeof spec.sendAt === 'string' &&
    !(ISO_WITH_OFFSET.test(spec.sendAt) && !Number.isNaN(Date.parse(spec.sendAt)))
  ) {
    out.push(
      makeDiagnostic(
        'send-at-invalid',
        `sendAt '${spec.sendAt}' is not an ISO 8601 date-time with an offset`,
        at(['sendAt']),
        {
          hint: 'e.g. sendAt: 2030-11-27T09:00:00+01:00 (quote it or not; the offset is required)',
        },
      ),
    );
  }
  return out;
}

function checkPair(
  out: Diagnostic[],
  map: SourceMap,
  base: string[],
  latitude: unknown,
  longitude: unknown,
): void {
  if ((latitude === undefined) === (longitude === undefined)) return;
  const present = latitude === undefined ? 'longitude' : 'latitude';
  const missing = latitude === undefined ? 'latitude' : 'longitude';
  out.push(
    makeDiagnostic(
      'location-incomplete',
      `${present} is set without ${missing}`,
      map.locateKey([...base, present]),
      {
        hint: 'latitude and longitude go together',
      },
    ),
  );
}
