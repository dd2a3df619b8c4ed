// Profile pictures: upload (multipart) and removal.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { currentUser } from '../../../plugins/auth.js';
import uploads, { mebibytes, readSingleFile } from '../../../plugins/upload.js';
import { toUserPrivate } from '../../../presenters/users.js';
import { bearerAuth } from '../../../schemas/common.js';
import { errors } from '../../../schemas/errors.js';
import { PICTURE_FIELD, PictureUpload, UserIdParams } from '../../../schemas/users.js';

const userPrivate = Type.Ref('UserPrivate');
const tags = ['users'];

const pictureRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { profilePictures } = app.services;
  const maxBytes = app.config.maxUploadSizeBytes;
  await app.register(uploads, { maxBytes });

  app.patch(
    '/:user_id/picture',
    {
      // Read by the handler as a stream, not validated as a body: documented only.
      config: { multipartBody: PictureUpload },
      schema: {
        tags,
        summary: 'Upload a profile picture',
        description:
          `multipart/form-data with one field \`${PICTURE_FIELD}\`: a JPEG, PNG, GIF or WebP image of at most ${mebibytes(maxBytes)} MiB. ` +
          'It is cropped to a 300x300 JPEG.',
        security: bearerAuth,
        consumes: ['multipart/form-data'],
        params: UserIdParams,
        response: { 200: userPrivate, ...errors(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request, reply) => {
      const bytes = await readSingleFile(request, reply, { field: PICTURE_FIELD, maxBytes });
      return toUserPrivate(await profilePictures.set(currentUser(request), request.params.user_id, bytes));
    },
  );

  app.delete(
    '/:user_id/picture',
    {
      schema: {
        tags,
        summary: 'Remove your profile picture',
        security: bearerAuth,
        params: UserIdParams,
        response: { 200: userPrivate, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => toUserPrivate(await profilePictures.remove(currentUser(request), request.params.user_id)),
  );
};

export default pictureRoutes;
