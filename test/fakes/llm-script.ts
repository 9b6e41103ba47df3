/**
 * Scripted replies shared by the LLM vendor fakes (test/fakes/llm-*.ts): a test queues what the "model" says
 * next through the admin API (`POST /__fake/script {replies: [...]}`), and each fake renders a reply in its
 * vendor's wire format — a structured answer (tool call / JSON content), plain text, or an error with the
 * vendor's status, error body and Retry-After. An empty queue answers the vendor's 500, so a test that forgot
 * to script its reply cannot pass by accident.
 */
export type ScriptedReply =
  /** The model's structured answer (any object: a wrong shape is how tests send a malformed answer). */
  | { readonly answer: unknown }
  /** The model answers in text instead of the tool call / JSON (e.g. prose, or JSON in a code fence). */
  | { readonly text: string }
  /** The provider fails: HTTP status, optional Retry-After seconds and vendor error type. */
  | { readonly error: { readonly status: number; readonly retryAfter?: number; readonly type?: string; readonly message?: string } };

export class ReplyScript {
  private queue: ScriptedReply[] = [];

  /** The admin actions every LLM fake understands; returns undefined for actions it does not know. */
  admin(action: string, body: unknown): unknown {
    if (action === 'reset') {
      this.queue = [];
      return { ok: true };
    }
    if (action === 'script') {
      const replies = (body as { replies?: ScriptedReply[] } | null)?.replies ?? [];
      this.queue.push(...replies);
      return { queued: this.queue.length };
    }
    if (action === 'pending') return { pending: this.queue.length };
    return undefined;
  }

  next(): ScriptedReply {
    return this.queue.shift() ?? { error: { status: 500, message: 'the fake has no scripted reply for this request' } };
  }
}

/** The JSON text of a structured answer, as a model in JSON mode writes it. */
export function answerText(reply: { answer: unknown }): string {
  return JSON.stringify(reply.answer);
}
