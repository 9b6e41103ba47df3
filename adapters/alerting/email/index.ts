/**
 * Email destination: one alert email per lifecycle step, through the Cloudflare `send_email` binding, Twilio
 * SendGrid or Amazon SES (`provider` in the settings, email-config.ts). The message is the same everywhere
 * (render-alert-email.ts): `[SEVERITY] title`, a text and an HTML part; acknowledge/resolve send a short
 * follow-up (`Re: …`), threaded under the alert mail when the provider lets us set In-Reply-To (the binding).
 *
 * Rate limit: the contract has one per adapter type, so it is the strictest of the providers' — SES accounts in
 * the sandbox may send 1 message a second (https://docs.aws.amazon.com/ses/latest/dg/quotas.html; out of the
 * sandbox the rate is per account and varies). `emailProviderRateLimits` keeps each provider's own figure:
 * SendGrid documents no figure for Mail Send, so 10/s is our conservative choice; Cloudflare documents daily
 * quotas only, so 10/s likewise.
 */
import type { TransportResult } from '../../../core/collect/transport';
import type { AlertNotification } from '../../../core/alerting/notification';
import type { DeliveryContext, DeliveryReceipt, DestinationAdapter, RateLimit } from '../destination';
import { emailConfigSchema, type EmailConfig } from './email-config';
import { renderAlertEmail } from './render-alert-email';
import { sendViaBinding } from './send-cloudflare';
import { sendViaSendgrid } from './send-sendgrid';
import { sendViaSes } from './send-ses';

export { emailConfigSchema, type EmailConfig } from './email-config';
export { renderAlertEmail, type RenderedEmail } from './render-alert-email';

export const emailProviderRateLimits: Readonly<Record<EmailConfig['provider'], RateLimit>> = {
  cloudflare: { requests: 10, perMs: 1000 },
  sendgrid: { requests: 10, perMs: 1000 },
  ses: { requests: 1, perMs: 1000 },
};

async function deliverEmail(notification: AlertNotification, config: EmailConfig, ctx: DeliveryContext): Promise<TransportResult<DeliveryReceipt>> {
  const rendered = renderAlertEmail(notification);
  switch (config.provider) {
    case 'cloudflare':
      return sendViaBinding(notification, config, ctx, rendered);
    case 'sendgrid':
      return sendViaSendgrid(notification, config, ctx, rendered);
    case 'ses':
      return sendViaSes(config, ctx, rendered);
  }
}

export const emailDestination: DestinationAdapter<EmailConfig> = {
  type: 'email',
  configSchema: emailConfigSchema,
  rateLimit: emailProviderRateLimits.ses,
  deliver: deliverEmail,
};
