/**
 * The loopback fakes of the lake query engines reached over HTTP (adapters/athena, adapters/bigquery): Athena's
 * JSON 1.1 API with SigV4, and BigQuery's REST v2 with its Google OAuth token endpoint. Their ports join
 * `fakePorts` (and so the Worker's outbound allow-list); the BigQuery service-account key, generated at start,
 * is provided separately. Synapse speaks TDS over raw TCP with TLS, which a test Worker cannot reach on a plain
 * loopback socket: adapters/synapse is tested in Node against test/fakes/synapse-tds.ts.
 */
import { startAthenaFake } from './athena';
import { startBigQueryFake } from './bigquery';

export async function startFakes(): Promise<{ ports: Record<string, number>; bigQueryKey: string; close(): Promise<void> }> {
  const athena = await startAthenaFake();
  const bigquery = await startBigQueryFake();
  return {
    ports: { lakeAthena: athena.port, lakeBigQuery: bigquery.bigquery.port, lakeBigQueryOAuth: bigquery.oauth.port },
    bigQueryKey: await bigquery.serviceAccountKey(),
    close: async () => {
      await Promise.all([athena.close(), bigquery.close()]);
    },
  };
}
