/** Mixpanel's documented ingestion limits (README "Delivery"). */
export const MAX_RECORDS_PER_REQUEST = 2000;
/** /import: 10 MB of uncompressed JSON per request. */
export const MAX_IMPORT_REQUEST_BYTES = 10 * 1024 * 1024;
/** One event or one profile update: under 1 MB of JSON. */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** "fewer than 255" properties per event; also keys per nested object and elements per list. */
export const MAX_PROPERTIES = 255;
/** Objects and lists may nest at most 3 levels below the event's properties. */
export const MAX_NESTING_DEPTH = 3;
/** Mixpanel rejects event times before 1971-01-01 … */
export const MIN_EVENT_TIME_MS = Date.UTC(1971, 0, 1);
/** … and more than one hour after the time of ingestion. */
export const MAX_FUTURE_MS = 60 * 60 * 1000;
