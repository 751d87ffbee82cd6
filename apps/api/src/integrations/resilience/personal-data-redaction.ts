/**
 * A safety net under "no PII in logs or integration_errors": callers pass identifiers only, and this
 * removes what slips through anyway — fields whose names suggest personal data, and anything that
 * looks like an email address inside text (provider error messages sometimes echo the recipient).
 */
const PERSONAL_KEYS = new Set(['to', 'from', 'cc', 'bcc', 'replyto', 'reply_to', 'ip', 'name', 'displayname', 'display_name', 'fullname', 'firstname', 'lastname']);
const PERSONAL_KEY_PARTS = ['email', 'phone', 'address', 'recipient', 'useragent', 'user_agent'];
const EMAIL_IN_TEXT = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}/g;
const MAX_DEPTH = 6;

export function redactText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, '[email]');
}

export function redactPersonalData(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redactPersonalData(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isPersonalKey(key) ? '[redacted]' : redactPersonalData(inner, depth + 1);
  }
  return out;
}

function isPersonalKey(key: string): boolean {
  const k = key.toLowerCase();
  return PERSONAL_KEYS.has(k) || PERSONAL_KEY_PARTS.some((part) => k.includes(part));
}
