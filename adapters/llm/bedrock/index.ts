/**
 * Amazon Bedrock Converse API (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
 * `POST https://bedrock-runtime.<region>.amazonaws.com/model/<modelId>/converse`, signed with SigV4 (service
 * `bedrock`) by aws4fetch — already the repository's signer (SES, S3) — and sent through our guarded fetch.
 *
 * Why not @aws-sdk/client-bedrock-runtime: it pulls the Smithy stack (credential-provider chain, Node HTTP
 * handler, event-stream codecs) into the Worker bundle for one JSON call, and routing it through the guarded
 * fetch means replacing its request handler; aws4fetch signs a fetch Request in a few kB.
 *
 * The answer is forced through one tool (`toolConfig.toolChoice.tool`, supported by Anthropic Claude and
 * Mistral Large on Bedrock) whose `inputSchema.json` is the answer schema: the `toolUse.input` of the output
 * message. Errors are REST-JSON: the type in `x-amzn-ErrorType`, the text in `{message}`; 429
 * ThrottlingException, 5xx (ModelNotReady, ServiceUnavailable, InternalServer) are retried, then fall back.
 */
import { AwsV4Signer } from 'aws4fetch';
import { z } from 'zod';
import type { HttpFetch } from '../../../core/collect/transport';
import { answerJsonSchema, answerToolDescription, answerToolName } from '../../../core/nlq/llm/answer';
import type { LlmCall, LlmOutcome, LlmProvider } from '../../../core/nlq/llm/provider';
import { responseFailure, thrownFailure } from '../shared/failure';
import { withProviderRetries } from '../shared/retry';

export interface BedrockConfig {
  readonly region: string;
  readonly modelId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Default https://bedrock-runtime.<region>.amazonaws.com (a VPC endpoint or the test fake otherwise). */
  readonly endpoint?: string;
  readonly maxRetries: number;
}

const converseResponseSchema = z.object({
  output: z.object({
    message: z.object({
      content: z.array(z.object({ text: z.string().optional(), toolUse: z.object({ name: z.string(), input: z.unknown() }).optional() }).loose()),
    }),
  }),
  stopReason: z.string(),
});

export function bedrockConverseBody(call: LlmCall) {
  return {
    system: [{ text: call.prompt.system }],
    messages: call.prompt.messages.map((m) => ({ role: m.role, content: [{ text: m.content }] })),
    inferenceConfig: { maxTokens: call.maxTokens, temperature: 0 },
    toolConfig: {
      tools: [{ toolSpec: { name: answerToolName, description: answerToolDescription, inputSchema: { json: answerJsonSchema } } }],
      toolChoice: { tool: { name: answerToolName } },
    },
  };
}

function bedrockErrorText(body: unknown): string | undefined {
  const b = body as { message?: unknown; Message?: unknown };
  return typeof b?.message === 'string' ? b.message : typeof b?.Message === 'string' ? b.Message : undefined;
}

export function bedrockProvider(config: BedrockConfig, fetchImpl: HttpFetch): LlmProvider {
  const endpoint = (config.endpoint ?? `https://bedrock-runtime.${config.region}.amazonaws.com`).replace(/\/+$/, '');
  const url = `${endpoint}/model/${encodeURIComponent(config.modelId)}/converse`;
  const what = `Bedrock Converse (${config.modelId}, ${config.region})`;

  async function once(call: LlmCall): Promise<LlmOutcome> {
    const body = JSON.stringify(bedrockConverseBody(call));
    let response: Response;
    try {
      const signed = await new AwsV4Signer({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        accessKeyId: config.accessKeyId,
        secretAccessKey: config.secretAccessKey,
        ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
        service: 'bedrock',
        region: config.region,
      }).sign();
      response = await fetchImpl(signed.url.toString(), { method: 'POST', headers: signed.headers, body, signal: call.signal });
    } catch (err) {
      return thrownFailure(err, what);
    }
    if (!response.ok) {
      const failure = await responseFailure(response, what, bedrockErrorText);
      const type = response.headers.get('x-amzn-errortype')?.split(':')[0];
      return type ? { ...failure, message: `${failure.message} [${type}]` } : failure;
    }
    const parsed = converseResponseSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) return { kind: 'refused', message: 'the Converse response did not have an output message' };
    const { content } = parsed.data.output.message;
    if (parsed.data.stopReason === 'guardrail_intervened' || parsed.data.stopReason === 'content_filtered') {
      return { kind: 'refused', message: `the answer was withheld (${parsed.data.stopReason})` };
    }
    const toolUse = content.find((c) => c.toolUse?.name === answerToolName)?.toolUse;
    if (toolUse) return { kind: 'answer', payload: toolUse.input };
    const text = content.flatMap((c) => (c.text ? [c.text] : [])).join('\n');
    if (text.trim()) return { kind: 'answer', payload: text };
    return { kind: 'refused', message: `the answer had no ${answerToolName} tool call (stopReason ${parsed.data.stopReason})` };
  }

  return {
    id: 'bedrock',
    model: config.modelId,
    complete: (call) => withProviderRetries(() => once(call), { maxRetries: config.maxRetries, signal: call.signal }),
  };
}
