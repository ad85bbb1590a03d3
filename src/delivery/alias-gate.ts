import type { Clock } from '../lib/clock.js';

/**
 * Alias ordering (README "Alias ordering"): records about an alias's new id wait until that alias's
 * `$create_alias` has been acknowledged and the alias delay has passed. Other ids pass at once.
 */
export class AliasGate {
  /** new id → how many of its aliases are not yet released */
  private readonly pending = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(
    private readonly delayMs: number,
    private readonly clock: Clock,
  ) {}

  /** Announce an alias whose `$create_alias` will be sent (first pass). */
  expect(newId: string): void {
    this.pending.set(newId, (this.pending.get(newId) ?? 0) + 1);
  }

  /** Whether any id is held at all (when none is, records need not be looked at). */
  holdsAny(): boolean {
    return this.pending.size > 0;
  }

  /** Whether records about this id must still wait. */
  isHeld(distinctId: string | null): boolean {
    return distinctId !== null && this.pending.has(distinctId);
  }

  /** Call `release` once the id is free (at once when it is). */
  whenFree(distinctId: string, release: () => void): void {
    if (!this.isHeld(distinctId)) {
      release();
      return;
    }
    const list = this.waiting.get(distinctId);
    if (list === undefined) this.waiting.set(distinctId, [release]);
    else list.push(release);
  }

  /** The alias was acknowledged (or settled otherwise): free its id after the delay. */
  acknowledged(newId: string): void {
    void this.clock.sleep(this.delayMs).then(() => this.free(newId));
  }

  /** Free every held id at once (the run stopped: held records are settled as not delivered). */
  releaseAll(): void {
    const waiting = [...this.waiting.values()].flat();
    this.pending.clear();
    this.waiting.clear();
    for (const release of waiting) release();
  }

  private free(newId: string): void {
    const left = (this.pending.get(newId) ?? 1) - 1;
    if (left > 0) {
      this.pending.set(newId, left);
      return;
    }
    this.pending.delete(newId);
    const list = this.waiting.get(newId) ?? [];
    this.waiting.delete(newId);
    for (const release of list) release();
  }
}
