import type { ImportAuth } from '../mixpanel/auth.js';
import { credentialForms } from '../lib/redact.js';

/**
 * What must never appear in output (README "Output"): every credential of the run (the token,
 * each API or service-account secret, a proxy URL's password) and each Basic-auth pair sent
 * with them, in every form `credentialForms` lists. Values under 4 characters are left out.
 */
export function runSecrets(values: ReadonlyArray<string | null | undefined>, auth: ImportAuth | null, proxyUrls: readonly string[]): string[] {
  const secrets = values.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const pairs = secrets.map((secret) => `${secret}:`);
  if (auth?.kind === 'service-account') pairs.push(`${auth.user}:${auth.secret}`);
  for (const url of proxyUrls) {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (parsed === null || parsed.password === '') continue;
    const password = decodeURIComponent(parsed.password);
    if (password.length >= 4) secrets.push(password, parsed.password);
    pairs.push(`${decodeURIComponent(parsed.username)}:${password}`);
  }
  return credentialForms(secrets, pairs);
}
