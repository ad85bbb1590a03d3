/**
 * Bits of a packed line's flags (`SentBlock.flags`, `WrittenBlock.flags`), set where the line is
 * mapped and read on the main thread (docs/architecture.md, "The packed formats").
 */
export const LINE_FLAGS = {
  /** The line has a dedupe key (it has a messageId). */
  keyed: 1,
  /** Its `_metadata.bundled` lists Mixpanel: device mode sent it already. */
  deviceMode: 2,
} as const;
