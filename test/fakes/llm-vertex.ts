/**
 * Loopback fakes of Vertex AI's generateContent and the Google OAuth token endpoint it needs, each on its own
 * port as on its own host:
 * - token (oauth2.googleapis.com, https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
 *   `POST /token` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>`; the assertion
 *   must be RS256-signed by the service account's registered key (`kid`), `iss` the account, `aud` this
 *   endpoint, `scope` including cloud-platform, at most one hour long — refusals are Google's
 *   `{error, error_description}` (invalid_grant "Invalid JWT Signature.", "Invalid JWT: Failed audience check.",
 *   invalid_scope). Answers `{access_token, expires_in, token_type}`. The Workspace token fake
 *   (google-workspace.ts) is not reused: it requires domain-wide delegation (`sub` = a Workspace admin and
 *   delegated scopes), which a Vertex caller does not use.
 * - aiplatform: `POST /v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`
 *   with `Authorization: Bearer <token issued above>` (401 UNAUTHENTICATED otherwise, 404 for another project
 *   or location); body and answers as the Gemini fake (llm-gemini.ts).
 * The key pair is generated at start; `POST /__fake/service-account` on the token server returns the JSON key
 * file, `/__fake/revoke-tokens` forgets issued tokens (to exercise the refresh after a 401).
 */
import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { vertexFakeProject, vertexFakeLocation, vertexFakeServiceAccount } from './llm-credentials';
import { answerGenerateContent, googleError } from './llm-gemini';
import { ReplyScript } from './llm-script';

const cloudPlatform = 'https://www.googleapis.com/auth/cloud-platform';
const invalidTime = 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

export async function startVertexFakes(): Promise<{ oauth: RunningFake; aiplatform: RunningFake }> {
  const kid = randomUUID().replace(/-/g, '');
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const privatePem = await exportPKCS8(privateKey);
  const tokens = new Map<string, number>();
  let oauthOrigin = '';

  const oauth = await startFakeServer(
    async (req, res, url) => {
      if (url.pathname !== '/token' || req.method !== 'POST') return sendJson(res, 404, { error: 'not_found' });
      const form = new URLSearchParams(req.body);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + (form.get('grant_type') ?? '') });
      const assertion = form.get('assertion') ?? '';
      let claims: Record<string, unknown>;
      try {
        if (decodeProtectedHeader(assertion).kid !== kid) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
        claims = (await jwtVerify(assertion, publicKey, { algorithms: ['RS256'] })).payload as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      }
      if (claims.iss !== vertexFakeServiceAccount) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      if (claims.aud !== `http://${req.headers.host}/token`) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT: Failed audience check.' });
      const iat = Number(claims.iat);
      const exp = Number(claims.exp);
      if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp - iat > 3600 || exp <= iat) return sendJson(res, 400, { error: 'invalid_grant', error_description: invalidTime });
      if (!String(claims.scope ?? '').split(' ').includes(cloudPlatform)) return sendJson(res, 400, { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' });
      const token = `ya29.c.fake-${randomUUID()}`;
      tokens.set(token, Date.now() + 3599_000);
      sendJson(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    },
    (action) => {
      if (action === 'service-account') {
        return {
          type: 'service_account',
          project_id: vertexFakeProject,
          private_key_id: kid,
          private_key: privatePem,
          client_email: vertexFakeServiceAccount,
          client_id: '100000000000000000001',
          token_uri: `${oauthOrigin}/token`,
        };
      }
      // `reset` keeps issued tokens: the adapter caches its token per isolate, as a real caller does.
      if (action === 'revoke-tokens') tokens.clear();
      return { tokens: tokens.size };
    },
  );
  oauthOrigin = oauth.origin;

  const script = new ReplyScript();
  const aiplatform = await startFakeServer(
    (req, res, url) => {
      const m = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):generateContent$/.exec(url.pathname);
      if (!m || req.method !== 'POST') return googleError(res, 404, `The requested URL ${url.pathname} was not found on this server.`);
      const bearer = /^Bearer (.+)$/.exec((req.headers.authorization as string | undefined) ?? '')?.[1];
      const expiresAt = bearer ? tokens.get(bearer) : undefined;
      if (!expiresAt || expiresAt < Date.now()) {
        return googleError(res, 401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.');
      }
      if (m[1] !== vertexFakeProject || m[2] !== vertexFakeLocation) return googleError(res, 404, `Project or location not found: ${m[1]}/${m[2]}`);
      answerGenerateContent(req, res, decodeURIComponent(m[3]!), script);
    },
    (action, body) => script.admin(action, body),
  );
  return { oauth, aiplatform };
}
