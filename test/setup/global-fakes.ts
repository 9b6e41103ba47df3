// vitest globalSetup (runs in Node, once): starts the loopback fakes the Worker talks to in tests and
// hands their coordinates to the tests and the Worker's bindings through provide()/inject().
import type { TestProject } from 'vitest/node';
import { fileURLToPath } from 'node:url';
import { startJwksIssuer } from '../fakes/jwks-issuer';
import { startFakes as startAlertingFakes } from '../fakes/group-alerting';
import { startFakes as startDuoS3Fakes } from '../fakes/group-duo-s3';
import { startFakes as startLakeFakes } from '../fakes/group-lake';
import { startFakes as startLlmFakes } from '../fakes/group-llm';
import { startFakes as startIdentityResponseFakes } from '../fakes/group-identity-response';
import { startFakes as startMicrosoftGoogleFakes } from '../fakes/group-microsoft-google';
import { startFakes as startSaasFakes } from '../fakes/group-saas';
import { startOktaFake } from '../fakes/okta';

/** The shared corpus of real third-party samples, beside the repository (MANTISSA_CORPUS moves it). */
const corpusDir = process.env.MANTISSA_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

export default async function setup(project: TestProject) {
  const access = await startJwksIssuer('/cdn-cgi/access/certs', 'fake-access-key-1');
  const google = await startJwksIssuer('/oauth2/v3/certs', 'fake-google-key-1');
  project.provide('accessFakePort', access.port);
  project.provide('accessFakePrivateJwk', access.privateJwk);
  project.provide('googleFakePort', google.port);
  project.provide('googleFakePrivateJwk', google.privateJwk);
  const okta = await startOktaFake(corpusDir);
  project.provide('oktaFakePort', okta.port);
  const groups = await Promise.all([startMicrosoftGoogleFakes(corpusDir), startDuoS3Fakes(corpusDir), startSaasFakes(corpusDir), startAlertingFakes(), startIdentityResponseFakes(corpusDir), startLlmFakes()]);
  const lake = await startLakeFakes();
  project.provide('bigQueryFakeKey', lake.bigQueryKey);
  const fakePorts = Object.assign({}, ...[...groups, lake].map((g) => g.ports)) as Record<string, number>;
  project.provide('fakePorts', fakePorts);
  return async () => {
    await okta.close();
    await Promise.all([...groups, lake].map((g) => g.close()));
    await access.close();
    await google.close();
  };
}
