// /api/posts: reading (the listing, search, one post) and writing (your own posts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import readingRoutes from './reading.js';
import writingRoutes from './writing.js';

const postsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(readingRoutes);
  await app.register(writingRoutes);
};

export default postsRoutes;
