// Deterministic fault injection: decisions depend only on the seed and the request number.
import { DEFAULT_SLOW_MS } from './defaults.js';
import type { FaultOptions } from './types.js';

export type FaultKind = 'drop' | '429' | 'burst429' | '503' | '500';

export interface FaultDecision {
  kind: FaultKind | undefined;
  slowMs: number;
}

/** mulberry32: a small 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes the seed and the request number into an independent PRNG seed (murmur3 finaliser). */
function mix(seed: number, requestNo: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ requestNo) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class FaultInjector {
  constructor(private readonly options: FaultOptions = {}) {}

  get dropAfterIngest(): boolean {
    return this.options.dropAfterIngest === true;
  }

  get retryAfterSeconds(): number | undefined {
    return this.options.retryAfterSeconds;
  }

  get echoAuthorization(): FaultOptions['echoAuthorization'] {
    return this.options.echoAuthorization;
  }

  private inBurst(requestNo: number): boolean {
    const burst = this.options.burst429;
    if (burst === undefined || burst.everyNthRequest <= 0 || burst.length <= 0) return false;
    const n = burst.everyNthRequest;
    return requestNo >= n && (requestNo - n) % n < burst.length;
  }

  /** requestNo is 1-based (the server's requestId). */
  decide(requestNo: number): FaultDecision {
    const o = this.options;
    const random = mulberry32(mix(o.seed ?? 1, requestNo));
    const r = random();
    const slow = random() < (o.rateSlow ?? 0);
    const slowMs = slow ? (o.slowMs ?? DEFAULT_SLOW_MS) : 0;
    if (this.inBurst(requestNo)) return { kind: 'burst429', slowMs };
    let edge = o.rateDrop ?? 0;
    if (r < edge) return { kind: 'drop', slowMs };
    edge += o.rate429 ?? 0;
    if (r < edge) return { kind: '429', slowMs };
    edge += o.rate503 ?? 0;
    if (r < edge) return { kind: '503', slowMs };
    edge += o.rate500 ?? 0;
    if (r < edge) return { kind: '500', slowMs };
    return { kind: undefined, slowMs };
  }
}
