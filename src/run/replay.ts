import type { Readable, Writable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { DRY_RUN_TOKEN, type RunConfig } from '../config/run-config.js';
import { createMixpanelClient } from '../mixpanel/client.js';
import { Accounting } from './accounting.js';
import { AliasGate } from '../delivery/alias-gate.js';
import { aliasPassSelection } from '../delivery/alias-pass.js';
import { createDeliverySink, type DeliverySink } from '../delivery/sink.js';
import { dryRunSink } from './dry-run-sink.js';
import { mapperSetup, runPipeline, type PipelineOptions, type SettleListener } from './pipeline.js';
import { spoolInputs } from '../input/spool.js';
import { TextWriter } from '../lib/text-writer.js';
import type { Checkpoint } from './checkpoint.js';
import { createBlockMapper } from '../mapper/pool.js';
import { FatalDelivery } from '../errors.js';
import { type Clock, systemClock } from '../lib/clock.js';
import { type DeliveryStats, NO_DELIVERY } from '../delivery/stats.js';
import type { FileSummary } from '../input/types.js';
import type { LineOutcome, LineRef } from '../outcomes.js';
import type { S3Inputs } from '../input/s3/source.js';

export interface ReplayDeps {
  readonly stdin: Readable;
  /** Dry-run records go here. */
  readonly output: Writable | null;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly dispatcher?: Dispatcher;
  readonly onSettle?: SettleListener;
  /** Resume journal: settled lines are skipped, and every line settled now is recorded. */
  readonly checkpoint?: Checkpoint;
  /** `--rejects`: a rejected line is settled in the journal only once its reject is written. */
  readonly rejects?: RejectsOutput;
  /** The `s3://` inputs' objects. */
  readonly s3?: S3Inputs | null;
  /** Runs after the alias pass, before the main pass (a seam for tests: a file appended to meanwhile). */
  readonly betweenPasses?: () => Promise<void> | void;
}

/** Where rejected lines go (the rejects file). */
export interface RejectsOutput {
  /** Write one reject; `written` is called once it is written, never when writing failed. */
  write(ref: LineRef, outcome: LineOutcome & { kind: 'rejected' }, text: string, written: () => void): Promise<void> | void;
  /** Write what is buffered and close; a failure was told to `Replay.fail`. */
  close(): Promise<void>;
}

const NOTHING = (): void => undefined;

interface AliasPassResult {
  readonly aliasLine: (file: string, line: number) => boolean;
  readonly lengths: ReadonlyMap<string, number>;
}

/** Simplified identity mode: no alias pass. */
const NO_ALIAS_PASS: AliasPassResult = { aliasLine: () => false, lengths: new Map() };

export interface ReplayResult {
  readonly accounting: Accounting;
  readonly inputs: FileSummary[];
  readonly http: DeliveryStats;
  readonly fatal: string | null;
  readonly interrupted: boolean;
  readonly wallMs: number;
  /** Lines skipped because an earlier run (checkpoint) had settled them. */
  readonly resumed: number;
}

/** Where a run is, for the progress display (read while it runs). */
export interface RunPosition {
  /** The alias pass reads every input once before the main pass (original identity mode). */
  readonly phase: 'aliases' | 'main';
  readonly file: string | null;
  /** Bytes of the inputs read in this phase, as stored (gzip compressed). */
  readonly bytesRead: number;
  readonly http: Readonly<DeliveryStats>;
  /** When the latest wait after a 429 ends (clock ms; 0: none). */
  readonly rateLimitedUntil: number;
}

/** One run of the pipeline: a dry run, or a delivery with its alias pass first. */
export class Replay {
  readonly accounting = new Accounting();
  private readonly http: DeliveryStats = { ...NO_DELIVERY };
  private phase: RunPosition['phase'] = 'main';
  private file: string | null = null;
  private bytesRead = 0;
  private readonly onRead = (file: string, bytes: number): void => {
    this.file = file;
    this.bytesRead += bytes;
  };
  private interrupted = false;
  /** Aborted on an interrupt: reading stdin (or spooling it) stops even while it waits for input. */
  private readonly stopReading = new AbortController();
  /** The dry-run output failed: reading stops, and the run ends as fatal (not as interrupted). */
  private halted = false;
  private resumed = 0;
  private sink: DeliverySink | null = null;

  constructor(
    private readonly config: RunConfig,
    private readonly files: readonly string[],
    private readonly deps: ReplayDeps,
  ) {}

  position(): RunPosition {
    return { phase: this.phase, file: this.file, bytesRead: this.bytesRead, http: this.http, rateLimitedUntil: this.sink?.rateLimitedUntil ?? 0 };
  }

  /** The first failure of an output the run cannot go on without (the rejects file). */
  private failure: string | null = null;

  /** An output failed (a full disk): stop as on an interrupt, but end the run as fatal (exit 3). */
  fail(reason: string): void {
    this.failure ??= reason;
    this.halted = true;
    this.stopReading.abort();
    this.sink?.stop();
  }

  /**
   * The journal cannot be written: nothing delivered from now on could be recorded, so stop as
   * fatal at once: the sink sends nothing new, and what it has not sent is not delivered.
   */
  private journalFailed(reason: string): void {
    this.journalFailure ??= `${reason}; stopped sending`;
    this.fail(this.journalFailure);
    this.sink?.fail(this.journalFailure);
  }

  private journalFailure: string | null = null;

  /** SIGINT/SIGTERM: stop reading, send nothing new, let in-flight requests finish. */
  interrupt(): void {
    this.interrupted = true;
    this.stopReading.abort();
    this.sink?.stop();
  }

  async run(): Promise<ReplayResult> {
    const clock = this.deps.clock ?? systemClock;
    const startedAt = clock.now();
    const inputs: FileSummary[] = [];
    const http = this.http;
    const { config } = this;
    const checkpoint = this.deps.checkpoint;
    checkpoint?.onWriteFailure((reason) => this.journalFailed(reason));
    const base: Omit<PipelineOptions, 'sink'> = {
      files: this.files,
      mapping: { preset: config.preset, actionsAlias: config.actionsAlias, settings: config.settings, identity: config.identity, token: config.dryRun ? DRY_RUN_TOKEN : config.token, runStartMs: startedAt },
      filter: config.filter,
      keepText: config.rejects !== null,
      dedupeWindow: config.dedupeWindow,
      accounting: this.accounting,
      stdin: this.deps.stdin,
      ...(this.deps.s3 && { open: this.deps.s3.open.bind(this.deps.s3) }),
      ...(checkpoint && {
        skip: (file: string, line: number) => checkpoint.isSettled(file, line),
        onBlank: (file: string, line: number) => checkpoint.settle(file, line),
      }),
      onSettle: (ref, outcome, text) => {
        const unsent = outcome.kind === 'rejected' && outcome.unsent === true;
        const inJournal = (): void => checkpoint?.settle(ref.file, ref.line);
        const rejects = this.deps.rejects;
        // A reject that was not written is not settled: the re-run rejects the line again.
        if (outcome.kind === 'rejected' && rejects !== undefined) return rejects.write(ref, outcome, text, unsent ? NOTHING : inJournal);
        if (!unsent) inJournal();
        return this.deps.onSettle?.(ref, outcome, text);
      },
      stopped: () => this.interrupted || this.halted,
      signal: this.stopReading.signal,
      onRead: this.onRead,
    };
    const mapper = createBlockMapper(mapperSetup(base, this.delivery === null), config.threads);
    let result: ReplayResult;
    try {
      result = await this.runWith({ ...base, mapper }, inputs, http, clock, startedAt);
    } finally {
      await mapper.close();
    }
    // Written before the journal's last write, so the lines whose rejects it holds are in it.
    await this.deps.rejects?.close();
    if (this.failure !== null) result = { ...result, fatal: result.fatal ?? this.failure };
    const journalError = await checkpoint?.flush().then(
      () => null,
      (error: Error) => error.message,
    );
    return journalError ? { ...result, fatal: result.fatal ?? journalError } : result;
  }

  private async runWith(base: Omit<PipelineOptions, 'sink'>, inputs: FileSummary[], http: DeliveryStats, clock: Clock, startedAt: number): Promise<ReplayResult> {
    const { config } = this;
    let fatal: string | null = null;
    const delivery = this.delivery;
    if (delivery === null) {
      // The reader of the records went away (`… | head`): stop as on an interrupt. Any other
      // write error (a full disk, --out in a missing folder) stops the run as fatal.
      let writeError: string | null = null;
      const writer = new TextWriter(this.deps.output!, (error) => {
        if (error.code === 'EPIPE') {
          this.interrupt();
        } else {
          writeError = `cannot write the dry-run records: ${error.message}`;
          this.halted = true;
        }
      });
      await runPipeline({ ...base, skip: this.counted(base.skip), sink: dryRunSink(writer), onFile: (f) => inputs.push(f) });
      return this.result(inputs, http, writeError, clock.now() - startedAt);
    }

    // Read twice (alias pass, then main pass): stdin and pipes are copied first (input/spool.ts).
    const spool = config.identity === 'original' ? await spoolInputs(this.files, this.deps.stdin, this.stopReading.signal) : null;
    // Interrupted while the inputs were being spooled: nothing was read and nothing sent.
    if (this.interrupted || (config.identity === 'original' && spool === null)) {
      await spool?.remove();
      return this.result(inputs, http, null, clock.now() - startedAt);
    }
    const client = await createMixpanelClient({ origin: delivery.origin, proxy: delivery.proxy ?? null, auth: delivery.auth, connections: delivery.concurrency, timeoutMs: delivery.timeoutMs, secrets: config.secrets, dispatcher: this.deps.dispatcher });
    const gate = config.identity === 'original' ? new AliasGate(delivery.aliasDelayMs, clock) : null;
    const journal = this.deps.checkpoint;
    const sink = createDeliverySink(delivery, this.accounting, http, { client, clock, random: this.deps.random ?? Math.random, ...(journal && { journal }) }, gate);
    this.sink = sink;
    if (this.interrupted) sink.stop();
    if (this.journalFailure !== null) sink.fail(this.journalFailure);
    try {
      const { aliasLine, lengths } = gate === null ? NO_ALIAS_PASS : await this.aliasPass(base, spool?.paths, sink, gate);
      const resumedOrAlias = this.counted(base.skip);
      const skip = (file: string, line: number): boolean => aliasLine(file, line) || resumedOrAlias?.(file, line) === true;
      await runPipeline({ ...base, spooled: spool?.paths, lengths, skip, sink, onFile: (f) => inputs.push(f) });
    } catch (error) {
      if (!(error instanceof FatalDelivery)) throw error;
      fatal = error.message;
      sink.stop();
      await sink.finish().catch(() => undefined);
    } finally {
      await spool?.remove();
    }
    return this.result(inputs, http, fatal ?? sink.fatal, clock.now() - startedAt);
  }

  /**
   * The alias pass: every alias call sent first, its new id held at the gate. Returns its lines
   * (the main pass skips them) and the bytes of each file it read: the main pass reads no more,
   * so alias calls appended to a file since are not sent after records they should precede.
   */
  private async aliasPass(base: Omit<PipelineOptions, 'sink'>, spooled: ReadonlyMap<string, string> | undefined, sink: DeliverySink, gate: AliasGate): Promise<AliasPassResult> {
    // Two passes over the input: S3 objects are kept on disk as read, and not downloaded twice.
    await this.deps.s3?.startSpool();
    const aliases = aliasPassSelection((id) => gate.expect(id));
    this.phase = 'aliases';
    const lengths = new Map<string, number>();
    const onRead = (file: string, bytes: number): void => {
      lengths.set(file, (lengths.get(file) ?? 0) + bytes);
      this.onRead(file, bytes);
    };
    await runPipeline({ ...base, spooled, sink, aliasPass: aliases, onRead });
    sink.flushOpen();
    await this.deps.betweenPasses?.();
    this.phase = 'main';
    this.bytesRead = 0;
    return { aliasLine: aliases.handled, lengths };
  }

  /** What to deliver with; null for a dry run (asked for, or without delivery settings). */
  private get delivery(): RunConfig['delivery'] {
    return this.config.dryRun ? null : this.config.delivery;
  }

  /** The main pass's skip test, counting the lines an earlier run had settled. */
  private counted(skip: ((file: string, line: number) => boolean) | undefined): ((file: string, line: number) => boolean) | undefined {
    if (skip === undefined) return undefined;
    return (file, line) => {
      const settled = skip(file, line);
      if (settled) this.resumed += 1;
      return settled;
    };
  }

  private result(inputs: FileSummary[], http: DeliveryStats, fatal: string | null, wallMs: number): ReplayResult {
    return { accounting: this.accounting, inputs, http, fatal, interrupted: this.interrupted, wallMs, resumed: this.resumed };
  }
}
