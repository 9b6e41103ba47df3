/**
 * The loopback vendor fakes of one group of pull collectors (see test/fakes/okta.ts for the pattern).
 * startFakes() starts each of this group's fakes and returns their ports by name; test/setup/global-fakes.ts
 * hands them to the tests (inject('fakePorts')) and to the outbound allow-list of the Worker under test.
 */
import type { RunningFake } from './fake-server';

export async function startFakes(_corpusDir: string): Promise<{ ports: Record<string, number>; close(): Promise<void> }> {
  const fakes: Record<string, RunningFake> = {};
  return {
    ports: Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, fake.port])),
    close: async () => {
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}
