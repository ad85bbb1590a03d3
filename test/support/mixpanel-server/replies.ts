// Reply bodies, in Mixpanel's shapes (reference §3.4, §5, §9).

export interface Reply {
  status: number;
  body: string;
  contentType: 'application/json' | 'text/plain';
  headers?: Record<string, string>;
}

function json(status: number, value: unknown): Reply {
  return { status, body: JSON.stringify(value), contentType: 'application/json' };
}

export function importOk(imported: number): Reply {
  return json(200, { code: 200, num_records_imported: imported, status: 'OK' });
}

export interface FailedRecord {
  index: number;
  insert_id: string;
  field: string;
  message: string;
}

export function importPartial(imported: number, failed: Array<FailedRecord | string>): Reply {
  return json(400, {
    code: 400,
    error: 'some data points in the request failed validation',
    status: 'Bad Request',
    num_records_imported: imported,
    failed_records: failed,
  });
}

export function badRequest(reason: string): Reply {
  return json(400, { code: 400, error: reason, status: 'Bad Request', num_records_imported: 0 });
}

export function unauthorized(): Reply {
  return json(401, { code: 401, error: 'Invalid credentials', status: 'Unauthorized' });
}

export function tooLarge(maxBytes: number): Reply {
  return json(413, {
    code: 413,
    error: `request exceeds max limit of ${maxBytes} bytes`,
    status: 'Request Entity Too Large',
  });
}

export function tooManyRequests(retryAfterSeconds: number | undefined): Reply {
  const reply = json(429, {
    code: 429,
    error: 'Project exceeded rate limits. Please retry the request with exponential backoff.',
    status: 'Too Many Requests',
  });
  if (retryAfterSeconds !== undefined) reply.headers = { 'retry-after': String(retryAfterSeconds) };
  return reply;
}

export function serverError(status: 500 | 503): Reply {
  const text = status === 500 ? 'Internal Server Error' : 'Service Unavailable';
  return json(status, { code: status, error: text, status: text });
}

export function notFound(): Reply {
  return json(404, { code: 404, error: 'not found', status: 'Not Found' });
}

export function methodNotAllowed(): Reply {
  const reply = json(405, { code: 405, error: 'method not allowed', status: 'Method Not Allowed' });
  reply.headers = { allow: 'POST' };
  return reply;
}

/** /engage and /groups: `1`/`0`, or `{"status":1|0,"error":…}` with verbose=1. */
export function profileReply(verbose: boolean, error: string | null): Reply {
  if (!verbose) return { status: 200, body: error === null ? '1' : '0', contentType: 'text/plain' };
  return json(200, { status: error === null ? 1 : 0, error });
}
