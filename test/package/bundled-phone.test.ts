import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { getCountries, getCountryCallingCode, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import {
  identify,
  unpackIdentified,
  type Identified,
  type PackedIdentified,
} from '../../src/recipients/identify.js';
import { createRandom } from '../../src/emulator/random.js';

// The CLI's bundle replaces libphonenumber-js's object-spread helper (scripts/bundle-cli.mjs): the
// bundle must read every number as the package itself does.
const CLI = new URL('../../dist/cli/', import.meta.url);

/** What the bundle's phone worker (dist/cli/phone-worker.js) makes of `numbers`. */
async function bundled(numbers: string[], defaultCountry?: string): Promise<Identified> {
  const worker = new Worker(new URL('phone-worker.js', CLI));
  try {
    const answer = new Promise<PackedIdentified>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    worker.postMessage({
      id: 1,
      numbers,
      spec: 'bundle',
      revision: 1,
      ...(defaultCountry === undefined ? {} : { defaultCountry }),
    });
    return unpackIdentified(await answer);
  } finally {
    await worker.terminate();
  }
}

/** The inputs whose number or messageId differ (a short message rather than thousands of lines). */
function differences(numbers: string[], got: Identified, want: Identified): string[] {
  return numbers.flatMap((raw, i) =>
    got.phoneNumbers[i] === want.phoneNumbers[i] && got.messageIds[i] === want.messageIds[i]
      ? []
      : [
          `${JSON.stringify(raw)}: ${String(got.phoneNumbers[i])} instead of ${String(want.phoneNumbers[i])}`,
        ],
  );
}

/** Numbers of every country: examples, and digits at random after its calling code, written several ways. */
function corpus(): { international: string[]; national: Map<string, string[]> } {
  const random = createRandom(26);
  const digits = (n: number) => {
    let text = '';
    for (let i = 0; i < n; i++) text += String(Math.floor(random() * 10));
    return text;
  };
  const international: string[] = [];
  const national = new Map<string, string[]>();
  for (const country of getCountries()) {
    const code = getCountryCallingCode(country);
    const example = getExampleNumber(country, examples);
    const own: string[] = [];
    if (example) {
      international.push(example.number, `00${example.number.slice(1)}`);
      international.push(example.formatInternational(), example.number.slice(1));
      own.push(example.formatNational(), example.nationalNumber);
    }
    for (let i = 0; i < 12; i++) {
      const nsn = digits(4 + Math.floor(random() * 11));
      international.push(`+${code}${nsn}`, `+${code} ${nsn.slice(0, 3)}-${nsn.slice(3)}`);
      own.push(nsn, `0${nsn}`);
    }
    national.set(country, own);
  }
  international.push('', '+', '12', '+1 (555) 010-0000', 'not a number', '+41 79 302 67 27 ext 5');
  return { international, national };
}

test("the bundle's phone numbers are the package's, valid or not, international and national", async () => {
  const { international, national } = corpus();
  const options = { spec: 'bundle', revision: 1 };
  const expected = identify({ numbers: international, ...options });
  assert.ok(
    expected.phoneNumbers.filter((p) => p !== null).length > 500,
    'valid numbers in the corpus',
  );
  assert.ok(
    expected.phoneNumbers.filter((p) => p === null).length > 500,
    'invalid numbers in the corpus',
  );
  const got = await bundled(international);
  assert.is(got.phoneNumbers.length, international.length);
  assert.equal(differences(international, got, expected), []);
  for (const country of ['CH', 'US', 'DE', 'GB', 'IT', 'BR', 'IN', 'AR', 'MX', 'KR']) {
    const numbers = national.get(country) ?? [];
    const want = identify({ numbers, ...options, defaultCountry: country });
    assert.ok(
      want.phoneNumbers.some((p) => p !== null),
      `valid national numbers of ${country}`,
    );
    assert.equal(differences(numbers, await bundled(numbers, country), want), [], country);
  }
});

test("the bundle carries no copy of Babel's descriptor-copying spread helper", async () => {
  const files = (await readdir(CLI)).filter((name) => name.endsWith('.js'));
  for (const name of files) {
    const text = await readFile(new URL(name, CLI), 'utf8');
    assert.not.ok(
      text.includes('Object.getOwnPropertyDescriptors ? Object.defineProperties('),
      `${name} still holds the helper`,
    );
  }
});

test.run();
