import { Command, Option } from 'commander';
import { RUN_DEFAULTS, type ImportFlags } from '../config/run-config.js';
import { MAX_RECORDS_PER_REQUEST } from '../mixpanel/limits.js';
import { TOOL } from '../version.js';
import type { CliIo } from './io.js';
import { runImportCommand } from './commands/import.js';
import { runDiffCommand, type DiffFlags } from './commands/diff.js';


/** The commander program. Actions store their exit code in `result.code`. */
export function buildProgram(io: CliIo, result: { code: number }): Command {
  const program = new Command('mpx-replay')
    .description('Replay Segment event logs (NDJSON, gzip, archive folders, stdin) into Mixpanel, mapped exactly as Segment\'s Mixpanel destination does.')
    .version(TOOL.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText(
      'after',
      `
Examples:
  $ mpx-replay import fixtures/segment-logs --settings fixtures/settings.json --dry-run --out mapped.ndjson
  $ MIXPANEL_SERVICE_ACCOUNT=user:secret mpx-replay import segment-logs/src_123/2026-11-29 --project-id 1234567 --token $TOKEN
  $ mpx-replay diff before.ndjson after.ndjson

Exit codes: 0 all delivered or skipped, 1 some lines rejected, 2 usage or configuration error,
3 stopped early on a fatal delivery error, 130 interrupted.`,
    );

  program
    .command('import')
    .description('map Segment messages and send them to Mixpanel (/import, /engage, /groups), or write them with --dry-run')
    .argument('<inputs...>', 'files (.ndjson, .jsonl, .json, optionally .gz), directories (walked recursively, sorted), s3://bucket/prefix, or - for stdin')
    .option('--settings <file>', 'Segment Mixpanel destination settings as JSON, keys as Segment names them (env MPX_SETTINGS)')
    .option('--token <token>', 'Mixpanel project token (env MIXPANEL_TOKEN, or "token" in settings)')
    .option('--service-account <user:secret>', 'service-account auth for /import, with --project-id (env MIXPANEL_SERVICE_ACCOUNT)')
    .option('--project-id <id>', 'Mixpanel project id for service-account auth (env MIXPANEL_PROJECT_ID)')
    .option('--api-secret <secret>', 'legacy project API secret for /import (env MIXPANEL_API_SECRET, or apiKey/apiSecret in settings)')
    .addOption(new Option('--region <region>', 'data residency: us, eu or in (env MIXPANEL_REGION; enableEuropeanUnionEndpoint means eu)'))
    .option('--api-host <url>', 'base URL override, e.g. a proxy or a local test server; plain http only to loopback (env MIXPANEL_API_HOST)')
    .addOption(new Option('--preset <preset>', 'whose mapping to follow: classic (Segment\'s classic Mixpanel destination) or actions (Mixpanel (Actions)); default actions when the settings hold Actions keys such as projectToken, else classic').choices(['classic', 'actions']))
    .option('--actions-alias', 'with --preset actions: map alias calls to $create_alias as the Actions destination\'s optional alias action does (by default the preset skips them)')
    .addOption(new Option('--identity <mode>', 'the project\'s ID merge system: original or simplified').default('original'))
    .option('--dry-run', 'map and validate only; write the records as NDJSON to --out or stdout')
    .option('--out <file>', 'dry-run output file (default stdout)')
    .option('--from <time>', 'only messages at or after this time (ISO-8601, epoch seconds or ms, today or yesterday: UTC midnight)')
    .option('--to <time>', 'only messages before this time (ISO-8601, epoch seconds or ms, today or yesterday)')
    .option('--types <list>', 'only these Segment call types, e.g. track,page')
    .option('--concurrency <n>', `requests in flight (default ${RUN_DEFAULTS.concurrency})`)
    .option('--batch-size <n>', `records per request, 1..${MAX_RECORDS_PER_REQUEST} (default ${RUN_DEFAULTS.batchSize})`)
    .option('--rate <events/s>', 'client-side ceiling on records per second (default none)')
    .option('--alias-delay <ms>', `wait after aliases are acknowledged before their users' records are sent (default ${RUN_DEFAULTS.aliasDelayMs})`)
    .option('--checkpoint <file>', 'resume journal: a re-run with the same file skips lines already settled')
    .option('--force', 'use a checkpoint even if it was written with other settings or identity mode')
    .option('--rejects <file>', 'write every rejected line as NDJSON with its reason')
    .option('--json', 'print the final report as one JSON object on stdout')
    .option('--quiet', 'no progress and no report unless something went wrong')
    .option('--no-progress', 'no progress display')
    .option('--max-retries <n>', `retries per request for 429, 5xx and network errors (default ${RUN_DEFAULTS.maxRetries})`)
    .option('--timeout <ms>', `request timeout (default ${RUN_DEFAULTS.timeoutMs})`)
    .option('--threads <n>', 'worker threads that parse and map while the main thread reads and sends (default 2, or 0 on a single core)')
    .option('--dedupe-window <n>', `skip a message whose type and messageId were seen among the last n messages; 0 turns it off (default ${RUN_DEFAULTS.dedupeWindow.toLocaleString('en')})`)
    .option('--skip-device-mode', 'skip messages whose _metadata.bundled lists Mixpanel (sent by device mode already); by default they are replayed and counted')
    .option('--aws-profile <name>', 'AWS profile for s3:// inputs (default: AWS_PROFILE, then the SDK\'s standard chain)')
    .option('--late-days <n>', `with --from/--to, s3:// received-day folders read after the day of --to (default ${RUN_DEFAULTS.lateDays})`)
    .option('--backoff <ms>', `first retry wait, doubled per retry up to 60 s, plus jitter of 0.5–2.5× it (default ${RUN_DEFAULTS.backoffMs})`)
    .addHelpText(
      'after',
      `
Examples:
  $ mpx-replay import fixtures/segment-logs --settings fixtures/settings.json --dry-run > mapped.ndjson
  $ mpx-replay import events.ndjson.gz --token $TOKEN --api-secret $SECRET --rejects rejects.ndjson
  $ zcat day.gz | mpx-replay import - --service-account user:secret --project-id 123 --token $TOKEN --json`,
    )
    .action(async (inputs: string[], flags: ImportFlags) => {
      result.code = await runImportCommand(inputs, flags, io);
    });

  program
    .command('diff')
    .description('compare two dry-run outputs record by record: records only in one of them, property-level changes, a summary per endpoint and event name')
    .argument('<before>', 'dry-run output (NDJSON, optionally gzip) of the current mapping, or - for stdin')
    .argument('<after>', 'dry-run output of the proposed mapping, or - for stdin')
    .option('--json', 'print the differences as one JSON object (version 1) on stdout')
    .option('--color', 'colour the differences even when stdout is not a terminal (e.g. for less -R)')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR does the same)')
    .addHelpText(
      'after',
      `
Records match by endpoint, messageId (file:line when it is null) and position within the message.

Examples:
  $ mpx-replay import segment-logs --settings current.json --dry-run --out before.ndjson
  $ mpx-replay import segment-logs --settings proposed.json --dry-run --out after.ndjson
  $ mpx-replay diff before.ndjson after.ndjson
  $ mpx-replay diff before.ndjson after.ndjson --json | jq .summary.total

Exit codes: 0 identical, 1 different, 2 unreadable or malformed input.`,
    )
    .action(async (before: string, after: string, flags: DiffFlags) => {
      result.code = await runDiffCommand(before, after, flags, io);
    });

  return program;
}
