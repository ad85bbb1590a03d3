/** Replace every occurrence of a secret by "<redacted>". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('<redacted>');
  return out;
}
