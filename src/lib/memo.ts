/**
 * A pure function memoised in a map that is emptied when it reaches `limit` entries: archives
 * repeat a small set of keys, user agents and referrers, and memory stays bounded. (A result of
 * `undefined` is recomputed each time.)
 */
export function boundedMemo<V>(compute: (key: string) => V, limit: number): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}
