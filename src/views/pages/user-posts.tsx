import type { PostPageBody } from '../../schemas/posts.js';
import type { UserPrivateBody, UserPublicBody } from '../../schemas/users.js';
import { Avatar, PostList, postListProps } from '../components/index.js';
import { pagedPath, userFeedPath } from '../head.js';
import { renderPage } from '../layout.js';

/**
 * One author's profile and posts. A suspended author's page is found by
 * admins only (accounts.getPublic), and says so.
 */
export function userPostsPage(
  currentUser: UserPrivateBody | null,
  author: UserPublicBody,
  page: PostPageBody,
  suspended = false,
) {
  const postsPath = `/users/${author.id}/posts`;
  return renderPage(
    `Posts by ${author.username}`,
    currentUser,
    <>
      {suspended && (
        <div class="alert alert-warning" role="status" data-suspended-banner>
          This account is suspended: it cannot log in, and its posts are hidden from readers. Unsuspend it on the{' '}
          <a href="/admin" class="alert-link">
            admin page
          </a>
          .
        </div>
      )}
      <div class="d-flex align-items-center gap-3 mb-4">
        <Avatar src={author.image_path} username={author.username} size={96} />
        <div>
          <h1 class="h2 mb-1 text-break">{author.username}</h1>
          <p class="text-body-secondary mb-0">{page.total === 1 ? '1 post' : `${page.total} posts`}</p>
        </div>
      </div>
      <PostList {...postListProps(page, postsPath, `/api${postsPath}`, `${author.username} has not posted yet.`)} />
    </>,
    {
      description: `Posts by ${author.username}, newest first.`,
      canonicalPath: pagedPath(postsPath, page.skip),
      feed: { title: `Posts by ${author.username}`, path: userFeedPath(author.id) },
    },
  );
}
