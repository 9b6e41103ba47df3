/**
 * Loopback fake of Cloudflare Access's signing keys: serves `/cdn-cgi/access/certs` in Access's documented
 * JWKS format (`keys`, plus `public_cert`/`public_certs` PEMs are omitted — jose reads `keys`) and signs
 * tokens the way Access does (RS256, `kid`, `iss` = team domain, `aud` = application audience).
 * Runs in Node (vitest globalSetup); tests inside workerd get the private key through `inject()`.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface AccessFake {
  readonly port: number;
  readonly privateJwk: JWK;
  readonly kid: string;
  close(): Promise<void>;
}

export async function startAccessFake(): Promise<AccessFake> {
  const kid = 'fake-access-key-1';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' };
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/cdn-cgi/access/certs') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('access fake: no port');
  return {
    port: address.port,
    privateJwk,
    kid,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
