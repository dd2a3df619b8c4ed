// Pictures in an S3-compatible object store, so instances on different
// machines share them. A PUT is atomic: an object is either whole or absent.
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PICTURE_NAME, type PictureStore, type StoredPicture } from './picture-store.js';

export interface S3Settings {
  bucket: string;
  /** For S3-compatible services (MinIO, Ceph, R2…); AWS itself needs none. */
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Key prefix, e.g. "profile_pics/". */
  prefix: string;
}

export function createS3PictureStore(settings: S3Settings): PictureStore {
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    // Without explicit keys the SDK's usual chain applies (environment, instance role…).
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
  });
  const keyOf = (name: string) => {
    if (!PICTURE_NAME.test(name)) throw new Error(`refusing picture name ${JSON.stringify(name)}`);
    return `${settings.prefix}${name}`;
  };
  return {
    async save(name, bytes) {
      await client.send(
        new PutObjectCommand({ Bucket: settings.bucket, Key: keyOf(name), Body: bytes, ContentType: 'image/jpeg' }),
      );
    },
    async remove(name) {
      await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: keyOf(name) }));
    },
    async list() {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: settings.bucket, Prefix: settings.prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const name = object.Key?.slice(settings.prefix.length) ?? '';
          if (PICTURE_NAME.test(name)) names.push(name);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return names;
    },
    async read(name): Promise<StoredPicture | undefined> {
      if (!PICTURE_NAME.test(name)) return undefined;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: keyOf(name) }));
        return { body: object.Body as Readable, size: object.ContentLength, etag: object.ETag };
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    close() {
      client.destroy();
    },
  };
}
