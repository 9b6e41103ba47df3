/**
 * `mantissa seed --out DIR`: the demo dataset as NDJSON files, one per source (DIR/okta.ndjson,
 * DIR/cloudtrail.ndjson), for replay, fixtures or another tool.
 *
 * Invariants:
 * - One event per line, in time order, each line exactly `JSON.stringify(event)` (so files are byte-identical
 *   for the same options); files end with a newline.
 * - Streams: memory stays bounded by one write chunk and one day of planned events, whatever the size.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { demoSources, iterateDemoEvents, type DemoDatasetOptions, type DemoSource } from '../core/demo/dataset';

export interface WrittenFile {
  readonly source: DemoSource;
  readonly path: string;
  readonly events: number;
  readonly bytes: number;
}

const LINES_PER_WRITE = 500;

export async function writeSeedFiles(options: DemoDatasetOptions, dir: string): Promise<WrittenFile[]> {
  await mkdir(dir, { recursive: true });
  const written: WrittenFile[] = [];
  for (const source of demoSources) {
    const path = join(dir, `${source}.ndjson`);
    const stream = createWriteStream(path, { encoding: 'utf8' });
    const failed = new Promise<never>((_, reject) => stream.once('error', reject));
    failed.catch(() => undefined);
    let events = 0;
    let bytes = 0;
    let lines: string[] = [];
    const flush = async (): Promise<void> => {
      if (lines.length === 0) return;
      const chunk = `${lines.join('\n')}\n`;
      lines = [];
      bytes += Buffer.byteLength(chunk);
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
    };
    for (const event of iterateDemoEvents(options, source)) {
      lines.push(JSON.stringify(event));
      events++;
      if (lines.length === LINES_PER_WRITE) await flush();
    }
    await flush();
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    written.push({ source, path, events, bytes });
  }
  return written;
}
