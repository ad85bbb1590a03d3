/**
 * A file appended to between the alias pass and the main pass (issue 15; README "Alias
 * ordering"): the main pass reads no more of it than the alias pass did, so an alias call the
 * alias pass never saw is not sent after (or beside) the records it should precede. The rest is
 * reported and left unread. A Replay in-process against the test server; the append is done by
 * the seam that runs between the passes.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../../src/config/run-config.js';
import { parseSettings } from '../../../src/config/settings.js';
import { Replay } from '../../../src/run/replay.js';
import { DEFAULT_PROJECT, startMixpanelServer, type MixpanelTestServer } from '../../support/mixpanel-server/index.js';
import { tempDir } from '../../support/temp-dir.js';

const AT = '"timestamp":"2026-10-01T01:00:00.000Z"';
const BEFORE = [
  `{"type":"track","event":"Early","userId":"u-early","messageId":"m-1",${AT}}`,
  `{"type":"alias","previousId":"anon-early","userId":"u-early","messageId":"m-2",${AT}}`,
];
/** Appended between the passes: a track by the new id of an alias that comes after it. */
const APPENDED = [
  `{"type":"track","event":"Late","userId":"u-late","messageId":"m-3",${AT}}`,
  `{"type":"alias","previousId":"anon-late","userId":"u-late","messageId":"m-4",${AT}}`,
];

let tmp: ReturnType<typeof tempDir>;
let mp: MixpanelTestServer;
beforeAll(() => {
  tmp = tempDir('mpx-growth-');
});
afterAll(() => tmp.cleanup());
afterEach(() => mp.close());

async function replayAppendingBetweenPasses(file: string) {
  mp = await startMixpanelServer({ port: 0 });
  const parsed = parseSettings({}, 'settings');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const flags = { token: DEFAULT_PROJECT.token, apiSecret: DEFAULT_PROJECT.apiSecret, apiHost: mp.url, aliasDelay: '0', backoff: '20' };
  const resolved = resolveRunConfig([file], flags, {}, parsed.settings);
  if ('errors' in resolved) throw new Error(resolved.errors.join('\n'));
  const replay = new Replay(resolved.config, [file], {
    stdin: Readable.from([]),
    output: null,
    betweenPasses: () => appendFileSync(file, `${APPENDED.join('\n')}\n`),
  });
  return replay.run();
}

describe('the main pass reads no more of a file than the alias pass read', () => {
  it('lines appended between the passes are not read or sent; the file is reported as grown, with the rest left for the next run', async () => {
    const file = tmp.unique('growing.ndjson');
    const original = `${BEFORE.join('\n')}\n`;
    writeFileSync(file, original);

    const result = await replayAppendingBetweenPasses(file);

    const aboutLate = mp.accepted.filter((accepted) => JSON.stringify(accepted.record).includes('u-late'));
    const aboutEarly = mp.accepted.filter((accepted) => JSON.stringify(accepted.record).includes('u-early'));
    expect({ fatal: result.fatal, read: result.accounting.linesRead, lateRecords: aboutLate.length, earlyRecords: aboutEarly.length > 0 }).toEqual({
      fatal: null,
      read: BEFORE.length,
      lateRecords: 0,
      earlyRecords: true,
    });
    expect(result.inputs.map((input) => ({ lines: input.lines, truncated: input.truncated }))).toEqual([
      { lines: BEFORE.length, truncated: `grew after the alias pass read its ${Buffer.byteLength(original)} bytes: the rest is left for the next run (alias calls in it could not be ordered); kept the 2 complete lines before it` },
    ]);
  });
});
