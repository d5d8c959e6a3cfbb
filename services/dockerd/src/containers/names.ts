// Container names: validated as Docker does, and generated as "adjective_noun" when the
// client gives none.
import { randomInt } from 'node:crypto';
import { invalidParameter } from '../api/errors';

const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const ADJECTIVES = [
  'brave',
  'calm',
  'eager',
  'fond',
  'gentle',
  'happy',
  'keen',
  'lucid',
  'merry',
  'nimble',
  'quiet',
  'sharp',
  'steady',
  'tender',
  'vivid',
  'witty',
];
const NOUNS = [
  'anchor',
  'beacon',
  'buoy',
  'cove',
  'dock',
  'harbor',
  'hull',
  'jetty',
  'keel',
  'lagoon',
  'mooring',
  'pier',
  'quay',
  'rudder',
  'tide',
  'wharf',
];

export function validateName(name: string): string {
  if (!VALID_NAME.test(name)) {
    throw invalidParameter(
      `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
  }
  return name.startsWith('/') ? name : `/${name}`;
}

export function generateName(taken: (name: string) => boolean): string {
  for (;;) {
    const name = `/${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}`;
    if (!taken(name)) return name;
    const numbered = `${name}${randomInt(10)}`;
    if (!taken(numbered)) return numbered;
  }
}
