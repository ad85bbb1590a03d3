import { availableParallelism } from 'node:os';
import type { ImportAuth } from '../mixpanel/auth.js';
import { checkApiHost, REGION_HOSTS, type Region } from '../mixpanel/endpoints.js';
import { MAX_RECORDS_PER_REQUEST } from '../mixpanel/limits.js';
import { DAY_MS, parseTime } from '../segment/time.js';
import { SEGMENT_TYPES, type SegmentType } from '../segment/types.js';
import type { IdentityMode, Preset, Settings } from './settings-types.js';
import { resolvePreset } from './preset.js';
import type { PresetKeys } from './settings.js';
import type { MessageFilter } from './filter.js';
import { runSecrets } from './secrets.js';

/** Run defaults (README "Options"): the only place they live. */
export const RUN_DEFAULTS = {
  concurrency: 10,
  batchSize: MAX_RECORDS_PER_REQUEST,
  aliasDelayMs: 1000,
  maxRetries: 10,
  timeoutMs: 60_000,
  backoffMs: 2_000,
  dedupeWindow: 5_000_000,
  lateDays: 2,
} as const;

/** The largest --dedupe-window (about 1.4 GB of keys). */
export const MAX_DEDUPE_WINDOW = 100_000_000;

/** Retries back off from --backoff, doubling up to this. */
const MAX_BACKOFF_MS = 60_000;

/** The import command's flags as commander hands them over (strings, unparsed). */
export interface ImportFlags {
  settings?: string;
  token?: string;
  serviceAccount?: string;
  projectId?: string;
  apiSecret?: string;
  region?: string;
  apiHost?: string;
  identity?: string;
  dryRun?: boolean;
  out?: string;
  from?: string;
  to?: string;
  types?: string;
  concurrency?: string;
  batchSize?: string;
  rate?: string;
  aliasDelay?: string;
  checkpoint?: string;
  force?: boolean;
  rejects?: string;
  json?: boolean;
  quiet?: boolean;
  progress?: boolean;
  maxRetries?: string;
  timeout?: string;
  backoff?: string;
  threads?: string;
  dedupeWindow?: string;
  skipDeviceMode?: boolean;
  awsProfile?: string;
  lateDays?: string;
  preset?: string;
  actionsAlias?: boolean;
}

/** HTTP(S)_PROXY and NO_PROXY as the environment gives them (lower case first, as curl reads them). */
export interface ProxyEnv {
  readonly httpProxy: string;
  readonly httpsProxy: string;
  readonly noProxy: string;
}

export interface DeliveryConfig {
  /** The base URL: an origin, and with --api-host maybe a path the endpoints go under. */
  readonly origin: string;
  /** The data residency region asked for (--region, MIXPANEL_REGION, enableEuropeanUnionEndpoint; us by default). */
  readonly region?: Region;
  /** Set when the environment names a proxy; null (or absent) for direct connections. */
  readonly proxy?: ProxyEnv | null;
  readonly auth: ImportAuth;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly rate: number | null;
  readonly aliasDelayMs: number;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
}

/** Everything a run needs, resolved once: flags > environment > settings file > defaults. */
export interface RunConfig {
  readonly inputs: readonly string[];
  readonly settings: Settings;
  /** Which destination's mapping the run follows (README "Replaying a workspace that uses Mixpanel (Actions)"). */
  readonly preset: Preset;
  /** `--actions-alias`: alias calls mapped as the Actions destination's alias action (only under the actions preset). */
  readonly actionsAlias: boolean;
  /** Configuration warnings to show (settings of the other preset). */
  readonly warnings: readonly string[];
  readonly identity: IdentityMode;
  /** The token written into records; "<token>" in a dry run without one. */
  readonly token: string;
  readonly filter: MessageFilter;
  readonly dryRun: boolean;
  readonly out: string | null;
  readonly rejects: string | null;
  readonly checkpoint: string | null;
  readonly force: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly progress: boolean;
  /** null in a dry run. */
  readonly delivery: DeliveryConfig | null;
  /** Worker threads for parsing and mapping (0: in the main thread). */
  readonly threads: number;
  /** Messages whose type and messageId are remembered to skip repeats (0: no deduplication). */
  readonly dedupeWindow: number;
  /** Texts that must never appear in output: each credential in each form it can take (config/secrets.ts). */
  readonly secrets: readonly string[];
  /** `s3://` inputs (README "Nightly backfill from S3"). */
  readonly s3: S3Config;
}

export interface S3Config {
  /** `--aws-profile`; null leaves the choice to the AWS SDK (AWS_PROFILE, the default profile). */
  readonly profile: string | null;
  /** `AWS_ENDPOINT_URL_S3` (else `AWS_ENDPOINT_URL`): an S3-compatible store. */
  readonly endpoint: string | null;
  /** Received days read after the day of --to (late events). */
  readonly lateDays: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const DRY_RUN_TOKEN = '<token>';

const NO_PRESET_KEYS = { classic: [], actions: [] } as const;

/**
 * Resolve flags + env + parsed settings into a RunConfig, or every problem found (exit 2).
 * `presetKeys` (from presetKeysOf) picks the preset when --preset is not given.
 */
export function resolveRunConfig(
  inputs: readonly string[],
  flags: ImportFlags,
  env: Env,
  settings: Settings,
  nowMs: number = Date.now(),
  presetKeys: PresetKeys = NO_PRESET_KEYS,
): { config: RunConfig } | { errors: string[] } {
  const errors: string[] = [];
  const presetResult = resolvePreset(flags.preset, presetKeys, settings);
  if ('error' in presetResult) errors.push(presetResult.error);
  const preset = 'preset' in presetResult ? presetResult.preset : 'classic';
  const actionsAlias = flags.actionsAlias === true;
  if (actionsAlias && 'preset' in presetResult && preset !== 'actions') {
    errors.push('--actions-alias is for the actions preset (--preset actions, or Actions settings keys such as projectToken); the classic preset maps alias calls already');
  }
  const int = (name: string, raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) errors.push(`--${name} ${JSON.stringify(raw)}: expected an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'any' : max}`);
    return n;
  };

  const identity = flags.identity ?? 'original';
  if (identity !== 'original' && identity !== 'simplified') errors.push(`--identity ${JSON.stringify(identity)}: expected original or simplified`);
  const region = (flags.region ?? env.MIXPANEL_REGION ?? settings.apiRegion ?? (settings.enableEuropeanUnionEndpoint ? 'eu' : 'us')).toLowerCase();
  if (!(region in REGION_HOSTS)) errors.push(`--region ${JSON.stringify(region)}: expected us, eu or in`);
  const apiHost = flags.apiHost ?? env.MIXPANEL_API_HOST;
  let origin = REGION_HOSTS[region as Region] ?? REGION_HOSTS.us;
  if (apiHost !== undefined) {
    const checked = checkApiHost(apiHost);
    if (checked.ok) origin = checked.origin;
    else errors.push(checked.reason);
  }

  const types = parseTypes(flags.types, errors);
  const fromMs = parseBound('--from', flags.from, errors, nowMs);
  const toMs = parseBound('--to', flags.to, errors, nowMs);
  if (fromMs !== null && toMs !== null && fromMs >= toMs) errors.push(`--from must be before --to`);

  const token = flags.token ?? env.MIXPANEL_TOKEN ?? settings.token;
  const dryRun = flags.dryRun === true;
  const auth = resolveAuth(flags, env, settings, token, errors);
  if (!dryRun && token === null) errors.push('no project token: give --token, MIXPANEL_TOKEN or "token" in the settings file (a --dry-run needs none)');
  if (!dryRun && flags.out !== undefined) errors.push('--out is for --dry-run output');
  // A dry run settles every line without sending it: its journal would make a real import with
  // the same checkpoint send nothing (README "Resume and checkpoint").
  if (dryRun && flags.checkpoint !== undefined) errors.push('--checkpoint cannot be used with --dry-run: a dry run sends nothing, so a journal of it would tell a later import that every line was delivered');

  // Checked in a dry run too, so a typo shows before the real run.
  const limits = {
    concurrency: int('concurrency', flags.concurrency, RUN_DEFAULTS.concurrency, 1, 256),
    batchSize: int('batch-size', flags.batchSize, RUN_DEFAULTS.batchSize, 1, MAX_RECORDS_PER_REQUEST),
    rate: flags.rate === undefined ? null : int('rate', flags.rate, 0, 1),
    aliasDelayMs: int('alias-delay', flags.aliasDelay, RUN_DEFAULTS.aliasDelayMs, 0),
    maxRetries: int('max-retries', flags.maxRetries, RUN_DEFAULTS.maxRetries, 0, 100),
    timeoutMs: int('timeout', flags.timeout, RUN_DEFAULTS.timeoutMs, 100),
    backoff: { baseMs: int('backoff', flags.backoff, RUN_DEFAULTS.backoffMs, 1, MAX_BACKOFF_MS), maxMs: MAX_BACKOFF_MS },
  };
  const threads = int('threads', flags.threads, defaultThreads(), 0, 16);
  const dedupeWindow = int('dedupe-window', flags.dedupeWindow, RUN_DEFAULTS.dedupeWindow, 0, MAX_DEDUPE_WINDOW);
  const s3: S3Config = {
    profile: flags.awsProfile ?? null,
    endpoint: env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? null,
    lateDays: int('late-days', flags.lateDays, RUN_DEFAULTS.lateDays, 0, 366),
  };
  const proxy = proxyEnv(env);
  const delivery: DeliveryConfig | null = dryRun || auth === null ? null : { origin, region: region as Region, proxy, auth, ...limits };
  if (errors.length > 0) return { errors };

  const secrets = runSecrets([token, settings.apiSecret, flags.apiSecret, env.MIXPANEL_API_SECRET, auth?.kind === 'service-account' ? auth.secret : null], auth, [proxy?.httpProxy ?? '', proxy?.httpsProxy ?? '']);
  return {
    config: {
      inputs,
      settings,
      preset,
      actionsAlias,
      warnings: 'warnings' in presetResult ? presetResult.warnings : [],
      identity: identity as IdentityMode,
      token: token ?? DRY_RUN_TOKEN,
      filter: { types, fromMs, toMs, skipDeviceMode: flags.skipDeviceMode === true },
      dryRun,
      out: flags.out ?? null,
      rejects: flags.rejects ?? null,
      checkpoint: flags.checkpoint ?? null,
      force: flags.force === true,
      json: flags.json === true,
      quiet: flags.quiet === true,
      progress: flags.progress !== false && flags.quiet !== true,
      delivery,
      threads,
      dedupeWindow,
      secrets,
      s3,
    },
  };
}

function proxyEnv(env: Env): ProxyEnv | null {
  const pick = (name: string): string => env[name.toLowerCase()] ?? env[name] ?? '';
  const proxy = { httpProxy: pick('HTTP_PROXY'), httpsProxy: pick('HTTPS_PROXY'), noProxy: pick('NO_PROXY') };
  return proxy.httpProxy === '' && proxy.httpsProxy === '' ? null : proxy;
}

/**
 * Mapping threads: 2 when there are 2 cores or more, none on one core. Measured on 2 cores
 * (200k messages): dry run 12.9 s inline, 14.5 s with 1 worker, 9.2 s with 2; delivery 15.8 s
 * with 1 worker, 13.2 s with 2 (the main thread mostly waits for the workers).
 */
function defaultThreads(): number {
  return availableParallelism() >= 2 ? 2 : 0;
}

/** Service account (with project id) > API secret > token, each from flags, then env, then settings. */
function resolveAuth(flags: ImportFlags, env: Env, settings: Settings, token: string | null, errors: string[]): ImportAuth | null {
  const serviceAccount = flags.serviceAccount ?? env.MIXPANEL_SERVICE_ACCOUNT;
  if (serviceAccount !== undefined) {
    const colon = serviceAccount.indexOf(':');
    const projectId = flags.projectId ?? env.MIXPANEL_PROJECT_ID;
    if (colon <= 0 || colon === serviceAccount.length - 1) errors.push('--service-account: expected user:secret');
    else if (projectId === undefined || projectId === '') errors.push('--service-account needs --project-id (or MIXPANEL_PROJECT_ID)');
    else return { kind: 'service-account', user: serviceAccount.slice(0, colon), secret: serviceAccount.slice(colon + 1), projectId };
    return null;
  }
  const secret = flags.apiSecret ?? env.MIXPANEL_API_SECRET ?? settings.apiSecret;
  if (secret) return { kind: 'api-secret', secret };
  return token ? { kind: 'token', token } : null;
}

function parseTypes(raw: string | undefined, errors: string[]): ReadonlySet<SegmentType> | null {
  if (raw === undefined) return null;
  const names = raw.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const bad = names.filter((t) => !(SEGMENT_TYPES as readonly string[]).includes(t));
  if (bad.length > 0 || names.length === 0) errors.push(`--types ${JSON.stringify(raw)}: expected a comma-separated list of ${SEGMENT_TYPES.join(', ')}`);
  return new Set(names as SegmentType[]);
}

/** `today` and `yesterday`: UTC midnights, for a nightly job (README "Nightly backfill from S3"). */
const RELATIVE_DAYS: Readonly<Record<string, number>> = { today: 0, yesterday: -1 };

function parseBound(flag: string, raw: string | undefined, errors: string[], nowMs: number): number | null {
  if (raw === undefined) return null;
  const relative = RELATIVE_DAYS[raw.trim().toLowerCase()];
  if (relative !== undefined) return (Math.floor(nowMs / DAY_MS) + relative) * DAY_MS;
  // Epoch numbers by the rule message times follow: below 31557600000 seconds, else milliseconds
  // (README "Options": `--to 1704153600` is 2024-01-02, not 1970).
  const ms = parseTime(raw.trim());
  if (ms === null) errors.push(`${flag} ${JSON.stringify(raw)}: expected an ISO-8601 time (2026-11-01T00:00:00Z), epoch seconds or milliseconds, today or yesterday`);
  return ms;
}
