// vitest globalSetup (runs in Node, once): starts the loopback fakes the Worker talks to in tests and
// hands their coordinates to the tests and the Worker's bindings through provide()/inject().
import type { JWK } from 'jose';
import type { TestProject } from 'vitest/node';
import { startAccessFake } from '../fakes/cloudflare-access';

declare module 'vitest' {
  export interface ProvidedContext {
    accessFakePort: number;
    accessFakePrivateJwk: JWK;
  }
}

export default async function setup(project: TestProject) {
  const access = await startAccessFake();
  project.provide('accessFakePort', access.port);
  project.provide('accessFakePrivateJwk', access.privateJwk);
  return async () => {
    await access.close();
  };
}
