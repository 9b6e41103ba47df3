// vitest globalSetup (runs in Node, once): starts the loopback fakes the Worker talks to in tests and
// hands their coordinates to the tests and the Worker's bindings through provide()/inject().
import type { JWK } from 'jose';
import type { TestProject } from 'vitest/node';
import { startJwksIssuer } from '../fakes/jwks-issuer';

declare module 'vitest' {
  export interface ProvidedContext {
    accessFakePort: number;
    accessFakePrivateJwk: JWK;
    googleFakePort: number;
    googleFakePrivateJwk: JWK;
  }
}

export default async function setup(project: TestProject) {
  const access = await startJwksIssuer('/cdn-cgi/access/certs', 'fake-access-key-1');
  const google = await startJwksIssuer('/oauth2/v3/certs', 'fake-google-key-1');
  project.provide('accessFakePort', access.port);
  project.provide('accessFakePrivateJwk', access.privateJwk);
  project.provide('googleFakePort', google.port);
  project.provide('googleFakePrivateJwk', google.privateJwk);
  return async () => {
    await access.close();
    await google.close();
  };
}
