import { ValidationFailed } from '../errors.js';

/**
 * Free text riders write is published beside their verification and kept in a permanent log, so
 * text that looks like a way to reach a person is refused before it is ever stored (issue #20,
 * finding 7). A heuristic, tuned against what riders really write: model years ("2019-2021"),
 * sizes ("120/70 ZR17"), torque and part numbers ("17211-MEL-000") pass; addresses and phone
 * numbers in their usual spellings do not.
 */
export type ContactDetailKind = 'email address' | 'phone number';

const EMAIL = /[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[a-z]{2,}/i;

/** A run of digits with the separators phone numbers are written with; starts and ends on a digit (or a leading +). */
const DIGIT_RUN = /\+?\(?\d[\d\s().-]*\d/g;

/** Runs made only of four-digit years ("2018 2019 2020", "2019-2021") are model years, not numbers to call. */
const YEARS_ONLY = /^(?:(?:19|20)\d\d[\s./-]*)+$/;

const MIN_INTERNATIONAL_DIGITS = 8;
const MIN_NATIONAL_DIGITS = 10;
const MAX_PHONE_DIGITS = 15;

export function contactDetailIn(text: string): ContactDetailKind | undefined {
  if (EMAIL.test(text)) return 'email address';
  for (const match of text.matchAll(DIGIT_RUN)) {
    const run = match[0];
    const digits = run.replace(/\D/g, '').length;
    if (digits > MAX_PHONE_DIGITS) continue;
    if (run.startsWith('+') && digits >= MIN_INTERNATIONAL_DIGITS) return 'phone number';
    if (digits >= MIN_NATIONAL_DIGITS && !YEARS_ONLY.test(run.trim())) return 'phone number';
  }
  return undefined;
}

/** Throws a 400 naming the field, with a message that says why, so the rider can rephrase rather than guess. */
export function refuseContactDetails(field: string, text: string | undefined): void {
  const found = text === undefined ? undefined : contactDetailIn(text);
  if (found) throw new ValidationFailed(field, `must not contain an ${found}: this text is shown to other riders and kept in a permanent log; leave contact details out`);
}
