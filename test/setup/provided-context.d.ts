// What vitest's globalSetup (test/setup/global-fakes.ts, Node) hands to the tests inside workerd via inject().
import type { JWK } from 'jose';

declare module 'vitest' {
  export interface ProvidedContext {
    accessFakePort: number;
    accessFakePrivateJwk: JWK;
    googleFakePort: number;
    googleFakePrivateJwk: JWK;
    oktaFakePort: number;
    /** Ports of the collector fakes by name (test/fakes/group-*.ts). */
    fakePorts: Record<string, number>;
    /** The service-account JSON key the BigQuery fake's token endpoint knows (test/fakes/group-lake.ts). */
    bigQueryFakeKey: string;
  }
}
