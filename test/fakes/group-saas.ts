/**
 * The loopback vendor fakes of the SaaS pull collectors (see test/fakes/okta.ts for the pattern): GitHub, Slack,
 * 1Password, CrowdStrike, Salesforce, Snowflake and Jamf Pro. startFakes() starts each and returns their ports
 * by name; test/setup/global-fakes.ts hands them to the tests (inject('fakePorts')) and to the outbound
 * allow-list of the Worker under test.
 */
import { startCrowdStrikeFake } from './crowdstrike';
import type { RunningFake } from './fake-server';
import { startGitHubFake } from './github';
import { startJamfFake } from './jamf';
import { startOnePasswordFake } from './onepassword';
import { startSalesforceFake } from './salesforce';
import { startSlackFake } from './slack';
import { startSnowflakeFake } from './snowflake';

export async function startFakes(corpusDir: string): Promise<{ ports: Record<string, number>; close(): Promise<void> }> {
  const fakes: Record<string, RunningFake> = {
    github: await startGitHubFake(corpusDir),
    slack: await startSlackFake(corpusDir),
    onepassword: await startOnePasswordFake(corpusDir),
    crowdstrike: await startCrowdStrikeFake(corpusDir),
    salesforce: await startSalesforceFake(corpusDir),
    snowflake: await startSnowflakeFake(corpusDir),
    jamf: await startJamfFake(corpusDir),
  };
  return {
    ports: Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, fake.port])),
    close: async () => {
      await Promise.all(Object.values(fakes).map((f) => f.close()));
    },
  };
}
