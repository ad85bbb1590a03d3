/** File names a directory walk (or an S3 listing) picks up: NDJSON-ish files, gzipped or not, and Segment's bare `.gz` archive files. */
export const INPUT_FILE = /\.(ndjson|jsonl|json)(\.gz)?$|\.gz$/i;
