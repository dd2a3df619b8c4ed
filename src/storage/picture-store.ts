// Where uploaded pictures live. Services only see this interface: a local
// directory (local-picture-store.ts) or an S3-compatible bucket (s3-picture-store.ts).
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface StoredPicture {
  body: Readable;
  size?: number;
  etag?: string;
}

export interface PictureStore {
  /** Stores the bytes under a name from newPictureName. */
  save(name: string, bytes: Buffer): Promise<void>;
  /** Removes a picture, and any half-written copy of it; a missing one is not an error. */
  remove(name: string): Promise<void>;
  /** Every stored picture name. */
  list(): Promise<string[]>;
  /** A picture's bytes for serving, or undefined if there is none by that name. */
  read(name: string): Promise<StoredPicture | undefined>;
  close?(): void;
}

/** New names are 32 random hex characters plus `.jpg`; nothing else is ever served or removed. */
export const PICTURE_NAME = /^[0-9a-f]{32}\.jpg$/;

export function newPictureName(): string {
  return `${randomBytes(16).toString('hex')}.jpg`;
}
