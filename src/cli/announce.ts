import type { DeliveryConfig } from '../config/run-config.js';
import { formatBytes } from './progress-format.js';

/**
 * The line printed before anything is sent (README "Usage"): where to, which project, how it
 * authenticates and what is read. Never a secret: the token shows only its first 4 characters,
 * a proxy only its host.
 */
export function sendingLine(delivery: DeliveryConfig, token: string, inputs: readonly string[], files: number, bytes: number | null): string {
  const { auth } = delivery;
  const project = auth.kind === 'service-account' ? `project ${auth.projectId}` : `project with token ${token.slice(0, 4)}…`;
  const how = auth.kind === 'service-account' ? 'service account' : auth.kind === 'api-secret' ? 'API secret' : 'token only';
  const proxy = proxyHost(delivery);
  const size = bytes === null ? '' : `, ${formatBytes(bytes)}`;
  const what = `${files} file${files === 1 ? '' : 's'}${size}`;
  const shown = inputs.length <= 3 ? inputs.join(' ') : `${inputs.slice(0, 3).join(' ')} …`;
  return `sending to ${delivery.origin} (region ${delivery.region ?? 'us'})${proxy === null ? '' : ` via proxy ${proxy}`}, ${project}, auth: ${how}; inputs: ${shown} (${what})`;
}

/** The proxy this delivery's origin goes through, by host only (a proxy URL may carry a password). */
function proxyHost(delivery: DeliveryConfig): string | null {
  const proxy = delivery.proxy;
  if (proxy === null || proxy === undefined) return null;
  const url = delivery.origin.startsWith('https:') ? proxy.httpsProxy || proxy.httpProxy : proxy.httpProxy;
  if (url === '' || !URL.canParse(url)) return null;
  const { hostname, port } = new URL(url);
  const target = new URL(delivery.origin).hostname;
  const bypassed = proxy.noProxy.split(/[,\s]+/).some((entry) => entry !== '' && (entry === '*' || target.endsWith(entry.replace(/^\*?\./, ''))));
  return bypassed ? null : `${hostname}${port === '' ? '' : `:${port}`}`;
}
