import { Buffer } from 'node:buffer';

/** How /import authenticates (README "Delivery"). The other endpoints carry the token in each record. */
export type ImportAuth =
  | { readonly kind: 'service-account'; readonly user: string; readonly secret: string; readonly projectId: string }
  | { readonly kind: 'api-secret'; readonly secret: string }
  | { readonly kind: 'token'; readonly token: string };

/** The Authorization header value. Never logged. */
export function authorizationHeader(auth: ImportAuth): string {
  const pair = auth.kind === 'service-account' ? `${auth.user}:${auth.secret}` : `${auth.kind === 'api-secret' ? auth.secret : auth.token}:`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** Names the credential kind for messages, never its value. */
export function describeAuth(auth: ImportAuth): string {
  switch (auth.kind) {
    case 'service-account':
      return `service account (project id ${auth.projectId})`;
    case 'api-secret':
      return 'project API secret';
    case 'token':
      return 'project token';
  }
}
