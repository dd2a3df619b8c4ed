import type { PostPageBody } from '../../schemas/posts.js';
import type { UserPrivateBody } from '../../schemas/users.js';
import { PostList, postListProps } from '../components/index.js';
import { renderPage } from '../layout.js';

/** The signed-in author's drafts, newest first: only they see this page. */
export function draftsPage(currentUser: UserPrivateBody, page: PostPageBody) {
  return renderPage(
    'Your drafts',
    currentUser,
    <>
      <h1 class="h2 mb-1">Your drafts</h1>
      <p class="text-body-secondary mb-4">
        Only you see these. Open one to edit it or publish it; “New Post” → “Save draft” starts another.
      </p>
      <PostList {...postListProps(page, '/drafts', '/api/users/me/posts?status=draft', 'You have no drafts.')} />
    </>,
    { noindex: true },
  );
}
