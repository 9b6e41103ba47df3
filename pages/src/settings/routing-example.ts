/**
 * The example routing document shown in Settings → Routing's help: the repository's own
 * config/routing.example.yml, bundled as text so the help never drifts from the file the docs point at.
 */
import routingExample from '../../../config/routing.example.yml?raw';

export { routingExample };

/** The smallest useful document: one signed webhook and one route sending high and critical alerts to it. */
export const minimalRoutingExample = `version: 1
destinations:
  - id: soc-webhook
    type: webhook
    url: https://hooks.example.com/mantissa
    secretName: MANTISSA_WEBHOOK_SECRET   # the NAME of a Worker secret (wrangler secret put …)
routes:
  - name: high and critical to the webhook
    match:
      minSeverity: high
    destinations: [soc-webhook]
`;
