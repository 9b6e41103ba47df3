/**
 * The Worker's TDS byte stream: a TLS connection from cloudflare:sockets (https://developers.cloudflare.com/workers/runtime-apis/tcp-sockets/)
 * with `secureTransport: 'on'` — TLS from the first byte, which is TDS 8.0 "strict" encryption. Kept in its own
 * module so that Node tests never import 'cloudflare:sockets'.
 *
 * Invariants: the socket is opened only after the caller has checked host:port against the outbound policy
 * (query-engine.ts); certificate validation is the runtime's (the host name must match the certificate, which
 * for Synapse is *.sql.azuresynapse.net). cloudflare:sockets cannot set ALPN, so the "tds/8.0" ALPN value that
 * Microsoft's drivers offer is not sent; the server accepts a TLS-first connection without it.
 */
import { connect } from 'cloudflare:sockets';
import type { TdsByteStream, TdsSocketFactory } from './tds/packet';

export const workerTdsSocketFactory: TdsSocketFactory = async ({ hostname, port }) => {
  const socket = connect({ hostname, port }, { secureTransport: 'on', allowHalfOpen: false });
  await socket.opened;
  const reader = socket.readable.getReader();
  const writer = socket.writable.getWriter();
  const stream: TdsByteStream = {
    async read() {
      const chunk = await reader.read();
      return chunk.done ? null : chunk.value;
    },
    async write(bytes) {
      await writer.write(bytes);
    },
    async close() {
      await socket.close();
    },
  };
  return stream;
};
