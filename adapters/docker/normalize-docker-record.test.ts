import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBatch } from '../../core/ingest/parse-batch';
import { normalizedEventSchema } from '../../core/schema/event';
import { runGoldenFixture } from '../shared/golden-fixture';
import { dockerSource } from './index';
import { normalizeDockerRecord } from './normalize-docker-record';

// Docker has no sample in the shared corpus: the fixtures are written from Docker's documentation (fixtures/README.md).
const adapter = dockerSource;
const ctx = { source: 'docker', ingestTime: '2026-01-01T00:00:00.000Z' };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const fixtures = ['engine-events.ndjson', 'json-file-log.ndjson'];

function ok(record: unknown) {
  const result = normalizeDockerRecord(record, ctx);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

const containerEvent = (Action: string, Attributes: Record<string, string> = {}) => ({
  Type: 'container',
  Action,
  Actor: { ID: 'c0ffee', Attributes: { image: 'alpine:3.20', name: 'job', ...Attributes } },
  scope: 'local',
  time: 1769940000,
  timeNano: Number('1769940000123456789'), // a JSON number beyond 2^53, as Docker sends it
});

describe('normalizeDockerRecord', () => {
  it.each(fixtures)('matches the reviewed golden output for %s', (name) => {
    const { actual, expected } = runGoldenFixture(fixture(name), adapter);
    expect(actual).toEqual(expected);
  });

  it.each(fixtures)('produces rows of %s that satisfy the normalized schema', (name) => {
    const { actual } = runGoldenFixture(fixture(name), adapter);
    for (const row of actual as Record<string, unknown>[]) {
      const { line: _line, ...event } = row;
      expect(normalizedEventSchema.safeParse({ ...event, event_id: event.event_id ?? 'derived', raw: '{}' }).success).toBe(true);
    }
  });

  it('reads an exec as process activity with its command, tied to the exec id', () => {
    const event = ok(containerEvent('exec_start: sh -c id', { execID: 'e1' }));
    expect(event).toMatchObject({
      action: 'container.exec_start',
      class_uid: 1007,
      message: 'sh -c id',
      session_id: 'e1',
      target: 'job',
      service: 'alpine:3.20',
      event_time: '2026-02-01T10:00:00.123Z',
    });
  });

  it.each([
    ['die', { exitCode: '0' }, 'success', null],
    ['die', { exitCode: '137' }, 'failure', 'exit code 137'],
    ['exec_die', { exitCode: '1' }, 'failure', 'exit code 1'],
    ['die', {}, 'unknown', null],
    ['oom', {}, 'failure', 'oom'],
    ['health_status: unhealthy', {}, 'failure', 'unhealthy'],
    ['start', {}, 'success', null],
  ])('gives container %s %j the outcome %s', (action, attributes, outcome, reason) => {
    const event = ok(containerEvent(action, attributes));
    expect([event.outcome, event.outcome_reason]).toEqual([outcome, reason]);
  });

  it('names image events after the image and reads engines that send only status, id and from', () => {
    const pull = ok({ Type: 'image', Action: 'pull', Actor: { ID: 'nginx:1.27', Attributes: { name: 'nginx' } }, time: 1769940000 });
    expect([pull.action, pull.target, pull.target_type, pull.class_uid]).toEqual(['image.pull', 'nginx:1.27', 'image', null]);
    const legacy = ok({ status: 'start', id: 'abc', from: 'nginx:1.27', time: 1450000000 });
    expect([legacy.action, legacy.target, legacy.service, legacy.event_time]).toEqual(['container.start', 'abc', 'nginx:1.27', '2015-12-13T09:46:40.000Z']);
  });

  it('reads a json-file log line: stream as action, text without its newline, nanosecond time', () => {
    const event = ok({ log: 'Log line is here\n', stream: 'stderr', time: '2019-01-01T11:11:11.111111111Z' });
    expect([event.action, event.message, event.event_time, event.outcome]).toEqual(['stderr', 'Log line is here', '2019-01-01T11:11:11.111Z', 'unknown']);
  });

  it('reads docker events output sent as NDJSON through the ingest path', async () => {
    const body = [containerEvent('create'), containerEvent('start'), { log: 'hi\n', stream: 'stdout', time: '2026-02-01T10:00:00Z' }]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const result = await parseBatch(body, adapter, { ...ctx, batchId: 'b' });
    expect(result.ok && result.events.map((e) => e.action)).toEqual(['container.create', 'container.start', 'stdout']);
  });

  it.each([[{}], [{ hello: 'world' }], [{ log: 42 }], [{ status: 'start' }]])('rejects %j as not a Docker record', (record) => {
    const result = normalizeDockerRecord(record, ctx);
    expect(result.ok ? null : result.reason).toBe('unrecognized_shape');
  });

  it.each([[[1, 2]], ['text'], [42], [null]])('rejects %j as not an object', (record) => {
    const result = normalizeDockerRecord(record, ctx);
    expect(result.ok ? null : result.reason).toBe('not_an_object');
  });
});
