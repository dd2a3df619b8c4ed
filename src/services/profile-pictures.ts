// Profile pictures: an upload is decoded and re-encoded, stored under a new
// name, and only then does the user point at it; the old file goes after
// that commit. The clean-up list (migration 0002) makes every step crash-safe.
import type { FastifyBaseLogger } from 'fastify';
import { badRequest, notFound } from '../errors.js';
import { InvalidImageError, processProfilePicture } from '../heavy-work/images.js';
import type { Metrics } from '../metrics/index.js';
import type { PictureCleanupRepository } from '../repositories/picture-cleanup.js';
import { PictureClaimLostError, type UserPictureRepository } from '../repositories/user-pictures.js';
import type { User, UserRepository } from '../repositories/users.js';
import { newPictureName, type PictureStore } from '../storage/picture-store.js';
import { accountToChange } from './permissions.js';

export interface ProfilePictureServiceDeps {
  users: UserRepository;
  userPictures: UserPictureRepository;
  pictureCleanup: PictureCleanupRepository;
  store: PictureStore;
  log: FastifyBaseLogger;
  metrics: Pick<Metrics, 'pictureProcessed'>;
}

/** How often an upload retries when a clean-up sweep took its fresh file (only at another instance's start). */
const PICTURE_ATTEMPTS = 3;

export function createProfilePictureService(deps: ProfilePictureServiceDeps) {
  const { users, userPictures, pictureCleanup, store, log, metrics } = deps;

  /** Removes a picture no user points at, then its clean-up entry; a failure leaves both for the sweep. */
  async function discard(name: string | null) {
    if (!name) return;
    try {
      await store.remove(name);
      await pictureCleanup.remove(name);
    } catch (error) {
      log.error({ err: error, picture: name }, 'could not remove a profile picture; the clean-up sweep will retry');
    }
  }

  /** Lists, writes and then points the user at a new picture file. */
  async function storeFor(userId: number, jpeg: Buffer) {
    for (let attempt = 1; ; attempt++) {
      const name = newPictureName();
      await pictureCleanup.add(name);
      await store.save(name, jpeg);
      try {
        const result = await userPictures.replaceImageFile(userId, name);
        if (!result) await discard(name); // the user is gone
        return result;
      } catch (error) {
        await discard(name);
        if (!(error instanceof PictureClaimLostError) || attempt >= PICTURE_ATTEMPTS) throw error;
      }
    }
  }

  /** The upload decoded, cropped and re-encoded; 400 for anything but an image. */
  async function reencode(upload: Buffer): Promise<Buffer> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const jpeg = await processProfilePicture(upload);
      metrics.pictureProcessed('accepted', seconds());
      return jpeg;
    } catch (error) {
      if (!(error instanceof InvalidImageError)) throw error;
      metrics.pictureProcessed('rejected', seconds());
      throw badRequest('Invalid image file. Upload a JPEG, PNG, GIF or WebP image.');
    }
  }

  return {
    discard,

    /** Replaces the user's picture with the upload, cropped and re-encoded; 400 for anything but an image. */
    async set(actor: User, userId: number, upload: Buffer): Promise<User> {
      await accountToChange(users, actor, userId);
      const jpeg = await reencode(upload);
      const result = await storeFor(userId, jpeg);
      if (!result) throw notFound('User not found');
      await discard(result.previous);
      return result.user;
    },

    async remove(actor: User, userId: number): Promise<User> {
      const { account: user } = await accountToChange(users, actor, userId);
      if (!user.image_file) throw badRequest('No profile picture to delete');
      const result = await userPictures.replaceImageFile(userId, null);
      if (!result) throw notFound('User not found');
      await discard(result.previous);
      return result.user;
    },

    /**
     * Deletes picture files that a crash left without a user (listed more than
     * `graceMs` ago); run at start and from time to time.
     */
    async sweep(graceMs: number): Promise<number> {
      let removed = 0;
      for (const name of await pictureCleanup.listedBefore(Date.now() - graceMs)) {
        if (await pictureCleanup.claimForSweep(name)) {
          await store.remove(name);
          removed += 1;
        }
        await pictureCleanup.remove(name);
      }
      return removed;
    },
  };
}

export type ProfilePictureService = ReturnType<typeof createProfilePictureService>;
