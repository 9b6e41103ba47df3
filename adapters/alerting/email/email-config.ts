/**
 * The email destination's settings in the routing document, one shape per `provider`. Only secret *names*
 * appear here (the values are Worker secrets); addresses are plain addr-specs (`soc@example.com`, no display
 * names), which is also what keeps them safe to write into headers. Unknown keys are refused (a misspelt
 * `to` must not pass silently); the router removes `id`, `type` and `name` before these schemas see the entry.
 */
import { z } from 'zod';
import { isEmailAddress } from './mime-message';

const address = z.email().refine(isEmailAddress, 'a plain email address (no display name)');
const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'the name of a Worker secret (letters, digits, underscores)');
const baseUrl = (fallback: string) =>
  z
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol) && !new URL(u).username && !new URL(u).password, 'an http(s) origin without credentials')
    .default(fallback)
    .transform((u) => u.replace(/\/+$/, ''));

/** Cloudflare Email Workers `send_email` binding: one message per recipient (the binding takes one envelope address). */
export const cloudflareEmailConfigSchema = z.strictObject({
  provider: z.literal('cloudflare'),
  from: address,
  /** The binding costs one call per address; 50 is also Cloudflare's per-message recipient limit. */
  to: z.array(address).min(1).max(50),
});

/** Twilio SendGrid v3 Mail Send (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send). */
export const sendgridEmailConfigSchema = z.strictObject({
  provider: z.literal('sendgrid'),
  from: address,
  /** SendGrid takes at most 1,000 recipients per request. */
  to: z.array(address).min(1).max(1000),
  apiKeySecret: secretName,
  /** `https://api.eu.sendgrid.com` for EU regional subusers. */
  baseUrl: baseUrl('https://api.sendgrid.com'),
});

/** Amazon SES API v2 SendEmail (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html). */
export const sesEmailConfigSchema = z.strictObject({
  provider: z.literal('ses'),
  from: address,
  /** SES takes at most 50 recipients per message. */
  to: z.array(address).min(1).max(50),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1'),
  accessKeyIdSecret: secretName,
  secretAccessKeySecret: secretName,
  /** Defaults to `https://email.<region>.amazonaws.com`; set for a FIPS or VPC endpoint (and in tests). */
  endpoint: z
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol) && !new URL(u).username && !new URL(u).password, 'an http(s) origin without credentials')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
});

export const emailConfigSchema = z.discriminatedUnion('provider', [cloudflareEmailConfigSchema, sendgridEmailConfigSchema, sesEmailConfigSchema]);
export type EmailConfig = z.infer<typeof emailConfigSchema>;
export type CloudflareEmailConfig = z.infer<typeof cloudflareEmailConfigSchema>;
export type SendgridEmailConfig = z.infer<typeof sendgridEmailConfigSchema>;
export type SesEmailConfig = z.infer<typeof sesEmailConfigSchema>;
