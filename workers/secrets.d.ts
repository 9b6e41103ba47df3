// Secrets the Worker reads (set with `wrangler secret put NAME`, locally in .dev.vars). wrangler types only
// sees [vars], so they are declared here.
declare namespace Cloudflare {
  interface Env {
    /** HMAC secret of GitHub webhook deliveries to /ingest/webhooks/github. */
    GITHUB_WEBHOOK_SECRET?: string;
  }
}
