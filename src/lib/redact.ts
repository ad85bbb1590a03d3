import { Buffer } from 'node:buffer';

/** Replace every occurrence of a secret by "<redacted>" (`secrets` as `credentialForms` gives them: longest first). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('<redacted>');
  return out;
}

/**
 * Every text a run's credentials can show up as, longest first (so a longer form is redacted
 * whole before a shorter one inside it): each secret and each Basic-auth pair (`user:secret`,
 * `secret:` with an empty password) raw, JSON-escaped, URL-encoded and base64-encoded
 * (standard, unpadded, URL-safe, and that URL-encoded). A server or proxy that echoes the
 * Authorization header quotes the base64 of a pair; base64 decodes back to the secret.
 */
export function credentialForms(secrets: readonly string[], pairs: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) for (const form of [...textForms(secret), ...base64Forms(secret)]) forms.add(form);
  for (const pair of pairs) for (const form of base64Forms(pair)) forms.add(form);
  return [...forms].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
}

function textForms(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
}

function base64Forms(value: string): string[] {
  const padded = Buffer.from(value, 'utf8').toString('base64');
  return [padded, padded.replace(/=+$/, ''), Buffer.from(value, 'utf8').toString('base64url'), encodeURIComponent(padded)];
}
