/**
 * The loopback vendor fakes of the Microsoft and Google pull collectors (see test/fakes/okta.ts for the pattern):
 * the Microsoft identity platform token endpoint, Microsoft Graph and the Office 365 Management Activity API
 * (test/fakes/microsoft.ts), Google's OAuth token endpoint and the Admin SDK Reports API
 * (test/fakes/google-workspace.ts). Each runs on its own port, as each vendor host is its own origin, so tests can
 * see which host a credential went to. test/setup/global-fakes.ts hands the ports to the tests
 * (inject('fakePorts')) and to the outbound allow-list of the Worker under test.
 */
import type { RunningFake } from './fake-server';
import { startGoogleWorkspaceFakes } from './google-workspace';
import { startMicrosoftFakes } from './microsoft';

export async function startFakes(corpusDir: string): Promise<{ ports: Record<string, number>; close(): Promise<void> }> {
  const microsoft = await startMicrosoftFakes(corpusDir);
  const google = await startGoogleWorkspaceFakes(corpusDir);
  const fakes: Record<string, RunningFake> = {
    msLogin: microsoft.login,
    msGraph: microsoft.graph,
    o365Manage: microsoft.manage,
    googleOAuth: google.oauth,
    googleReports: google.reports,
  };
  return {
    ports: Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, fake.port])),
    close: async () => {
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}
