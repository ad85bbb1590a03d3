export {
  generateMessages, resolveOptions, lineTimeMs, deckCounts,
  DEFAULT_MIX, DEFAULT_START_MS, DEFAULT_SPAN_MS, SEGMENT_TYPES,
  type SynthOptions, type SegmentType, type ResolvedOptions,
} from './generate.js';
export { BAD_LINE_KINDS, type BadLineKind } from './bad-lines.js';
export { writeNdjson, writeArchive, type WriteOptions, type WriteResult, type ArchiveOptions } from './write.js';
