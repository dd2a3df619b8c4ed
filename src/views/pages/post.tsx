import type { PostResponseBody } from '../../schemas/posts.js';
import type { UserPrivateBody } from '../../schemas/users.js';
import { ModalForm, PostCard } from '../components/index.js';
import { PostEditorFields, PUBLISH, SAVE_DRAFT } from '../components/post-editor.js';
import { postHead } from '../head.js';
import { renderPage } from '../layout.js';

function OwnerActions() {
  return (
    <div class="d-flex gap-2 mb-4" data-owner-actions>
      <button type="button" class="btn btn-outline-primary" data-bs-toggle="modal" data-bs-target="#edit-post-modal">
        Edit
      </button>
      <button type="button" class="btn btn-outline-danger" data-bs-toggle="modal" data-bs-target="#delete-post-modal">
        Delete
      </button>
    </div>
  );
}

/**
 * An edited post replaces the old one whole (PUT), so the form has the rules
 * of a new post. A draft is saved as a draft or published; a published post stays so.
 */
function EditPostModal({ post }: { post: PostResponseBody }) {
  const footer =
    post.status === 'draft'
      ? ({ submit: PUBLISH, alternative: SAVE_DRAFT, variant: 'primary' } as const)
      : ({ submit: 'Save changes', variant: 'primary' } as const);
  return (
    <ModalForm
      id="edit-post-modal"
      title={post.status === 'draft' ? 'Edit draft' : 'Edit post'}
      form={{ id: 'edit-post-form', 'data-post-id': String(post.id), 'data-status': post.status }}
      footer={footer}
      large
    >
      <PostEditorFields form="edit-post" post={post} rows={10} />
    </ModalForm>
  );
}

function DeletePostModal({ post }: { post: PostResponseBody }) {
  return (
    <ModalForm
      id="delete-post-modal"
      title="Delete this post?"
      form={{ id: 'delete-post-form', 'data-post-id': String(post.id) }}
      footer={{ submit: 'Delete post', variant: 'danger' }}
    >
      <p class="mb-0">
        “<span class="text-break">{post.title}</span>” will be deleted for good.
      </p>
    </ModalForm>
  );
}

/** One post; its author also gets the controls to edit and delete it. */
export function postPage(currentUser: UserPrivateBody | null, post: PostResponseBody) {
  const isOwner = currentUser?.id === post.user_id;
  return renderPage(
    post.title,
    currentUser,
    <>
      <PostCard post={post} link={false} />
      {isOwner && (
        <>
          <OwnerActions />
          <EditPostModal post={post} />
          <DeletePostModal post={post} />
        </>
      )}
      <p>{post.status === 'draft' ? <a href="/drafts">← Your drafts</a> : <a href="/">← All posts</a>}</p>
    </>,
    postHead(post),
  );
}
