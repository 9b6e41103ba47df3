/** What the ingest path needs to know about a log source. Each adapter in adapters/<source>/ provides one. */
import type { RecordParser, SourceId } from '../schema/event';
import type { EnvelopeExpander } from './split-records';

export interface SourceAdapter {
  readonly id: SourceId;
  /** Human name for the UI: "Okta System Log". */
  readonly name: string;
  /**
   * Parses one record: a JSON value for JSON bodies; for sources that read text (`text`), a line (`lines`)
   * or a header-keyed row object (`csv`). Must never throw.
   */
  readonly parse: RecordParser;
  /** How this source reads a body that is not JSON; absent = JSON only. */
  readonly text?: 'lines' | 'csv';
  /** For `lines` sources: recognises a header line naming the fields (see SplitOptions.textHeader). */
  readonly textHeader?: (line: string) => readonly string[] | null;
  /**
   * Unwraps a container record into events (CloudTrail `{"Records": [...]}`), whether it is the whole body
   * or one NDJSON line; returns null for an ordinary event.
   */
  readonly expand?: EnvelopeExpander;
}
