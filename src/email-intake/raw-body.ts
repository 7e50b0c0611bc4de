import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

const MIME_TYPES = ['message/rfc822', 'text/plain', 'application/octet-stream'];

/**
 * The request body as bytes, exactly as sent (a MIME message must not pass through a charset decoder), refused with
 * 413 over `limit` without reading further. The app's JSON and form parsers leave these content types alone.
 */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!MIME_TYPES.includes(type)) {
    throw new UnsupportedMediaTypeException(`Send the raw message as one of ${MIME_TYPES.join(', ')}.`);
  }
  const tooLarge = () => new PayloadTooLargeException(`The message is over the limit of ${limit} bytes.`);
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
