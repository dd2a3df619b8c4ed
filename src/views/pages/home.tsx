import type { PostPageBody } from '../../schemas/posts.js';
import type { UserPrivateBody } from '../../schemas/users.js';
import { PostList, postListProps } from '../components/index.js';
import { pagedPath } from '../head.js';
import { renderPage } from '../layout.js';

/** The newest posts of everyone. */
export function homePage(currentUser: UserPrivateBody | null, page: PostPageBody) {
  return renderPage(
    'Home',
    currentUser,
    <>
      <h1 class="visually-hidden">Latest posts</h1>
      <PostList {...postListProps(page, '/', '/api/posts', 'No posts yet.')} />
    </>,
    { description: 'The newest posts of every writer, newest first.', canonicalPath: pagedPath('/', page.skip) },
  );
}
