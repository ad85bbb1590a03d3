import type { Json } from './json.js';

/**
 * The deepest nesting a message may have (README "Options", docs/architecture.md "Nesting").
 * Every recursive walk a line goes through (the depth and UTF-8 checks, the canonical JSON of a
 * derived $insert_id, profile date normalisation, JSON.stringify of records and rejects) is
 * safe below it; a deeper message is rejected before any of them runs.
 */
export const MAX_MESSAGE_DEPTH = 100;

/**
 * Whether `value` (decoded from `text`) nests objects or lists more than `max` levels deep,
 * the top level being level 1. Iterative, so no depth overflows the stack. The text is looked at
 * first: a value with fewer than `max` brackets cannot be that deep, and that is the usual case.
 */
export function nestedDeeperThan(value: Json, text: string, max: number): boolean {
  if (!hasBrackets(text, max + 1)) return false;
  const stack: Json[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const depth = depths.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    const children = Array.isArray(item) ? item : Object.values(item);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** Whether `text` holds at least `count` opening brackets (`{` or `[`, in strings too). */
function hasBrackets(text: string, count: number): boolean {
  let found = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      found += 1;
      if (found >= count) return true;
    }
  }
  return false;
}
