// Basic-auth check for /import (reference §2).
import type { AuthKind, ServerProject } from './types.js';

export interface AuthResult {
  project: ServerProject;
  kind: AuthKind;
}

interface Credentials {
  user: string;
  password: string;
}

/** Mixpanel accepts the credentials base64-encoded or as plain text. */
export function parseBasicAuth(header: string | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+(.*)$/i.exec(header.trim());
  if (match === null) return undefined;
  const value = (match[1] ?? '').trim();
  if (value === '') return undefined;
  let text = value;
  if (!value.includes(':')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    // Plain text without a colon is a bare username (token or secret, empty password).
    text = decoded.includes(':') && !decoded.includes('\uFFFD') ? decoded : `${value}:`;
  }
  const colon = text.indexOf(':');
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Decides which project a request authenticates as.
 * - service account `user:secret` needs `project_id` naming a project that has that account;
 * - API secret or token as username with an empty password; `project_id`, when sent anyway,
 *   must name the same project (lenient: Mixpanel only says not to send it).
 */
export function authenticate(
  projects: ServerProject[],
  header: string | undefined,
  projectId: string | null,
): AuthResult | undefined {
  const creds = parseBasicAuth(header);
  if (creds === undefined) return undefined;
  if (creds.password !== '') {
    if (projectId === null) return undefined;
    const project = projects.find(
      (p) =>
        p.id === projectId &&
        p.serviceAccount !== undefined &&
        p.serviceAccount.user === creds.user &&
        p.serviceAccount.secret === creds.password,
    );
    return project === undefined ? undefined : { project, kind: 'service-account' };
  }
  for (const project of projects) {
    if (projectId !== null && project.id !== projectId) continue;
    if (project.apiSecret === creds.user) return { project, kind: 'api-secret' };
    if (project.token === creds.user) return { project, kind: 'token' };
  }
  return undefined;
}
