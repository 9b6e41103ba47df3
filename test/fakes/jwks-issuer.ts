/**
 * Loopback fake of a JWT issuer's signing keys, in the JWKS format both Cloudflare Access
 * (`/cdn-cgi/access/certs`) and Google (`/oauth2/v3/certs`) publish: `{"keys": [{kty, n, e, kid, alg, use}]}`.
 * Runs in Node (vitest globalSetup); tests inside workerd receive the private key through `inject()` and sign
 * tokens the way the real issuer does (RS256 with a `kid`).
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface JwksIssuerFake {
  readonly port: number;
  readonly privateJwk: JWK;
  close(): Promise<void>;
}

export async function startJwksIssuer(certsPath: string, kid: string): Promise<JwksIssuerFake> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' };
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === certsPath) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('jwks fake: no port');
  return { port: address.port, privateJwk, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
