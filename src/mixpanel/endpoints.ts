export type Region = 'us' | 'eu' | 'in';

export const REGION_HOSTS: Record<Region, string> = {
  us: 'https://api.mixpanel.com',
  eu: 'https://api-eu.mixpanel.com',
  in: 'https://api-in.mixpanel.com',
};

/**
 * Check an `--api-host` override: https anywhere, plain http only to a loopback address so a
 * secret never crosses a network in clear text. Returns the base URL (origin and path, without
 * a trailing slash: `https://proxy.example/mixpanel` sends to `/mixpanel/import`) or a reason.
 */
export function checkApiHost(value: string): { ok: true; origin: string } | { ok: false; reason: string } {
  if (!URL.canParse(value)) return { ok: false, reason: `--api-host ${JSON.stringify(value)} is not a URL: expected e.g. https://api.mixpanel.com` };
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `--api-host must be https:// (got ${url.protocol})` };
  if (url.search !== '' || url.hash !== '') return { ok: false, reason: `--api-host ${url.origin}${url.pathname}: no query or fragment (the endpoints add their own)` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: '--api-host: no user or password in the URL (give the credentials with --token, --api-secret or --service-account)' };
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  if (url.protocol === 'https:') return { ok: true, origin: base };
  if (!isLoopback(url.hostname)) return { ok: false, reason: `--api-host ${url.origin}: plain http is refused except to a loopback host (127.0.0.0/8, localhost, [::1])` };
  return { ok: true, origin: base };
}

/** Split a base URL into the origin undici connects to and the path every endpoint goes under. */
export function splitBaseUrl(base: string): { origin: string; basePath: string } {
  const url = new URL(base);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
