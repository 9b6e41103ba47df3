/** Docker Engine source: engine events (`/events`, `docker events --format '{{json .}}'`) and json-file log lines. */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeDockerRecord } from './normalize-docker-record';

export const dockerSource: SourceAdapter = { id: 'docker', name: 'Docker Engine', parse: normalizeDockerRecord };
