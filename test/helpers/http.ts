// Raw HTTP to a listening test server: the path is sent exactly as given (no
// client-side normalisation of "..", "%2e" or "\\"), a body may be streamed,
// and the first complete response is what counts.
import http from 'node:http';
import type { Readable } from 'node:stream';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as latin1 text: one character a byte. */
  body: string;
  elapsedMs: number;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: http.OutgoingHttpHeaders;
  /** Streamed as the request body; errors writing it after the server answered are expected. */
  body?: Readable;
  /** Without a body: send the headers and leave the request open, as a client still uploading does. */
  keepOpen?: boolean;
  onResponse?: () => void;
}

/** One request on its own connection; resolves on the first complete response. */
export function rawRequest(port: number, options: RawRequest) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const started = performance.now();
    let answered = false;
    const { method, path, headers } = options;
    const request = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false });
    request.on('response', (response) => {
      answered = true;
      options.onResponse?.();
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('latin1');
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body,
          elapsedMs: performance.now() - started,
        });
        request.destroy();
      });
      response.on('error', (error) => {
        if (!answered) reject(error);
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.body) {
      options.body.on('error', () => undefined);
      options.body.pipe(request);
    } else if (options.keepOpen) {
      request.flushHeaders();
    } else {
      request.end();
    }
  });
}
