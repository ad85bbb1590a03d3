import type { PresetKeys } from './settings.js';
import { PRESETS, type Preset, type Settings } from './settings-types.js';

/** Classic keys that still act under the Actions preset (token, region) and so draw no warning. */
const HONOURED_UNDER_ACTIONS: ReadonlySet<string> = new Set(['token', 'apiKey', 'enableEuropeanUnionEndpoint']);
/** Actions keys that still act under the classic preset. */
const HONOURED_UNDER_CLASSIC: ReadonlySet<string> = new Set(['projectToken', 'apiRegion']);

export type PresetResult = { readonly preset: Preset; readonly warnings: readonly string[] } | { readonly error: string };

/**
 * The mapping preset (README "Replaying a workspace that uses Mixpanel (Actions)"): `--preset`
 * when given, else `actions` when the settings hold a key only the Actions destination has.
 * Keys of the other destination that have no effect under the chosen preset are a warning, and
 * so is `strictMode: "0"` (a replay always validates strictly, so every rejected record is counted).
 */
export function resolvePreset(flag: string | undefined, presetKeys: PresetKeys, settings: Settings): PresetResult {
  if (flag !== undefined && !(PRESETS as readonly string[]).includes(flag)) return { error: `--preset ${JSON.stringify(flag)}: expected classic or actions` };
  const preset: Preset = (flag as Preset | undefined) ?? (presetKeys.actions.length > 0 ? 'actions' : 'classic');
  const warnings: string[] = [];
  const foreign = preset === 'actions' ? presetKeys.classic.filter((key) => !HONOURED_UNDER_ACTIONS.has(key)) : presetKeys.actions.filter((key) => !HONOURED_UNDER_CLASSIC.has(key));
  if (foreign.length > 0) {
    const owner = preset === 'actions' ? 'classic-only' : 'Actions-only';
    warnings.push(`${owner} setting${foreign.length > 1 ? 's' : ''} ${foreign.map((key) => `"${key}"`).join(', ')} ignored under --preset ${preset}`);
  }
  if (preset === 'actions' && !settings.strictMode) warnings.push('strictMode "0" ignored: a replay always sends /import?strict=1, so every record Mixpanel refuses is counted');
  return { preset, warnings };
}
