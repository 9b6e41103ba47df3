/**
 * The loopback vendor fakes of the Duo and S3 collectors (see test/fakes/okta.ts for the pattern): Duo's Admin
 * API (test/fakes/duo.ts) and an S3 bucket (test/fakes/s3.ts). startFakes() starts both and returns their
 * ports by name (`duo`, `s3`); test/setup/global-fakes.ts hands them to the tests (inject('fakePorts')) and to
 * the outbound allow-list of the Worker under test.
 */
import { startDuoFake } from './duo';
import type { RunningFake } from './fake-server';
import { startS3Fake } from './s3';

export async function startFakes(corpusDir: string): Promise<{ ports: Record<string, number>; close(): Promise<void> }> {
  const fakes: Record<string, RunningFake> = {
    duo: await startDuoFake(corpusDir),
    s3: await startS3Fake(corpusDir),
  };
  return {
    ports: Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, fake.port])),
    close: async () => {
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}
