/**
 * Dedicated instances of the Okta, Microsoft and Google fakes for the identity responder tests
 * (test/identity-response.test.ts). Those tests change directory state (suspend users, clear sessions), inject 429s
 * and read request logs; the collector tests run at the same time against the shared instances, so the responder
 * tests get their own servers and neither sees the other's traffic. Ports are handed out through inject('fakePorts')
 * and put on the Worker's outbound allow-list like every other fake.
 */
import type { RunningFake } from './fake-server';
import { startGoogleWorkspaceFakes } from './google-workspace';
import { startMicrosoftFakes } from './microsoft';
import { startOktaFake } from './okta';

export async function startFakes(corpusDir: string): Promise<{ ports: Record<string, number>; close(): Promise<void> }> {
  const okta = await startOktaFake(corpusDir);
  const microsoft = await startMicrosoftFakes(corpusDir);
  const google = await startGoogleWorkspaceFakes(corpusDir);
  await microsoft.manage.close();
  const fakes: Record<string, RunningFake> = {
    respondOkta: okta,
    respondMsLogin: microsoft.login,
    respondMsGraph: microsoft.graph,
    respondGoogleOAuth: google.oauth,
    respondGoogleAdmin: google.reports,
  };
  return {
    ports: Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, fake.port])),
    close: async () => {
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}
