import type { IdentityMode, Preset, Settings } from '../config/settings-types.js';
import type { MixpanelRecord } from '../mixpanel/types.js';
import type { SegmentType } from '../segment/types.js';

/** Everything the pure mapping depends on besides the message itself. */
export interface MappingOptions {
  /** Classic destination (README "Mapping") or Actions (README "Replaying a workspace that uses Mixpanel (Actions)"). */
  readonly preset: Preset;
  /** Under the Actions preset, map alias calls as its optional alias action (`--actions-alias`); false under classic. */
  readonly actionsAlias: boolean;
  readonly settings: Settings;
  readonly identity: IdentityMode;
  /** The project token written into records ("<token>" in a dry run without one). */
  readonly token: string;
  /** Read once per run; used only for Mixpanel's "not more than 1 h in the future" rule. */
  readonly runStartMs: number;
}

/** What one Segment message becomes. Every message ends in exactly one of these. */
export type MapResult =
  | {
      readonly outcome: 'mapped';
      readonly type: SegmentType;
      readonly records: readonly MixpanelRecord[];
      /** Non-fatal notes, e.g. a reserved property name (`length`, `bucket`). */
      readonly warnings: readonly string[];
    }
  | { readonly outcome: 'skipped'; readonly type: SegmentType | null; readonly reason: string }
  | { readonly outcome: 'rejected'; readonly type: SegmentType | null; readonly reason: string };
