// Secrets the Worker reads (set with `wrangler secret put NAME`, locally in .dev.vars). wrangler types only
// sees [vars], so they are declared here.
declare namespace Cloudflare {
  interface Env {
    /** HMAC secret of GitHub webhook deliveries to /ingest/webhooks/github. */
    GITHUB_WEBHOOK_SECRET?: string;
    /**
     * Natural-language queries' LLM provider (adapters/llm, docs/nlq.md "LLM providers"). The Workers AI binding
     * is optional: declared in the deployed wrangler configuration only (it needs a Cloudflare account locally).
     */
    AI?: Ai;
    ANTHROPIC_API_KEY?: string;
    OPENAI_API_KEY?: string;
    AZURE_OPENAI_API_KEY?: string;
    BEDROCK_ACCESS_KEY_ID?: string;
    BEDROCK_SECRET_ACCESS_KEY?: string;
    BEDROCK_SESSION_TOKEN?: string;
    GEMINI_API_KEY?: string;
    /** The Vertex AI service account's JSON key file (or its PEM private key with VERTEX_CLIENT_EMAIL set). */
    VERTEX_SERVICE_ACCOUNT_KEY?: string;
    NLQ_OPENAI_COMPATIBLE_API_KEY?: string;
  }
}
