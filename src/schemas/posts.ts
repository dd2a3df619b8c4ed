import { Type, type Static } from 'typebox';
import { EXCERPT_LENGTH } from '../markdown/excerpt.js';
import { Id, PageQuery, Text } from './common.js';
import { UserPublic } from './users.js';

/** Beyond the tutorial: content is bounded, so one request cannot fill the disk. */
export const MAX_CONTENT_LENGTH = 100_000;

export const Title = Text(1, 100);
export const Content = Text(1, MAX_CONTENT_LENGTH, `At most ${MAX_CONTENT_LENGTH} characters`);

export const POST_STATUSES = ['draft', 'published'] as const;
export const PostStatus = Type.Union([Type.Literal(POST_STATUSES[0]), Type.Literal(POST_STATUSES[1])], {
  description: 'A draft is seen only by its author; publishing one dates it to that moment',
});

export const PostCreate = Type.Object({
  title: Title,
  content: Content,
  status: Type.Optional({ ...PostStatus, description: 'Default "published"' }),
});
export const PostUpdate = Type.Object({
  title: Type.Optional(Title),
  content: Type.Optional(Content),
  status: Type.Optional(PostStatus),
});

export const PostPreviewRequest = Type.Object({ content: Content });
export const PostPreview = Type.Object({ content_html: Type.String() });

export const PostResponse = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    content: Type.String({ description: 'The Markdown source, as it was written' }),
    content_html: Type.String({
      description: 'The content rendered to HTML (raw HTML shown as text, unsafe links dropped), as the pages show it',
    }),
    excerpt: Type.String({
      description: `The start of the post's text, without markup: about ${EXCERPT_LENGTH} characters, cut at a word and ended by "…" when cut (a short post whole); what listing pages show`,
    }),
    status: PostStatus,
    user_id: Type.Integer(),
    date_posted: Type.String({ format: 'date-time', description: 'When it was published (a draft: written)' }),
    updated_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When it was last edited; null until the first edit',
    }),
    author: Type.Ref('UserPublic'),
    withheld: Type.Optional(
      Type.Literal(true, {
        description:
          'Present (true) only to admins, on a post held back from everyone else while its author is suspended',
      }),
    ),
  },
  { $id: 'PostResponse' },
);

export const PostPage = Type.Object(
  {
    posts: Type.Array(Type.Ref('PostResponse')),
    total: Type.Integer(),
    skip: Type.Integer(),
    limit: Type.Integer(),
    has_more: Type.Boolean(),
  },
  { $id: 'PostPage' },
);

export const PostIdParams = Type.Object({ post_id: Id('Post id') });

export const OwnPostsQuery = (defaultLimit: number) =>
  Type.Object({
    ...PageQuery(defaultLimit).properties,
    status: Type.Optional({ ...PostStatus, description: 'Only drafts, or only published posts; default both' }),
  });

export type PostCreateBody = Static<typeof PostCreate>;
export type PostUpdateBody = Static<typeof PostUpdate>;
export type PostResponseBody = Static<typeof PostResponse> & { author: Static<typeof UserPublic> };
export interface PostPageBody {
  posts: PostResponseBody[];
  total: number;
  skip: number;
  limit: number;
  has_more: boolean;
}
