import type { PostResponseBody } from '../../schemas/posts.js';
import type { UserPrivateBody } from '../../schemas/users.js';
import { ModalForm, PostCard } from '../components/index.js';
import { PostEditorFields, PUBLISH, SAVE_DRAFT } from '../components/post-editor.js';
import { postHead } from '../head.js';
import { renderPage } from '../layout.js';

/** Who is changing the post: its author, or an admin changing another author's (audited). */
type Acting = 'owner' | 'moderator';

function ModeratorBadge() {
  return <span class="badge text-bg-secondary ms-2">Moderator</span>;
}

/** Said in the modals of a moderator's edit and delete. */
function ModeratorNote({ doing }: { doing: string }) {
  return (
    <p class="alert alert-warning" data-moderator-note>
      You are {doing} another author’s post as a moderator; it is recorded in the audit log.
    </p>
  );
}

function PostActions({ acting }: { acting: Acting }) {
  return (
    <div class="d-flex gap-2 mb-4" data-post-actions={acting}>
      <button type="button" class="btn btn-outline-primary" data-bs-toggle="modal" data-bs-target="#edit-post-modal">
        Edit
        {acting === 'moderator' && <ModeratorBadge />}
      </button>
      <button type="button" class="btn btn-outline-danger" data-bs-toggle="modal" data-bs-target="#delete-post-modal">
        Delete
        {acting === 'moderator' && <ModeratorBadge />}
      </button>
    </div>
  );
}

/**
 * An edited post replaces the old one whole (PUT), so the form has the rules
 * of a new post. A draft is saved as a draft or published; a published post stays so.
 */
function EditPostModal({ post, acting }: { post: PostResponseBody; acting: Acting }) {
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
      {acting === 'moderator' && <ModeratorNote doing="editing" />}
      <PostEditorFields form="edit-post" post={post} rows={10} />
    </ModalForm>
  );
}

function DeletePostModal({ post, acting }: { post: PostResponseBody; acting: Acting }) {
  return (
    <ModalForm
      id="delete-post-modal"
      title="Delete this post?"
      form={{ id: 'delete-post-form', 'data-post-id': String(post.id) }}
      footer={{ submit: 'Delete post', variant: 'danger' }}
    >
      {acting === 'moderator' && <ModeratorNote doing="deleting" />}
      <p class="mb-0">
        “<span class="text-break">{post.title}</span>” will be deleted for good.
      </p>
    </ModalForm>
  );
}

/** Who may change the post shown: its author, an admin (a published post of another's), or nobody. */
function actingOn(currentUser: UserPrivateBody | null, post: PostResponseBody): Acting | null {
  if (!currentUser) return null;
  if (currentUser.id === post.user_id) return 'owner';
  return currentUser.role === 'admin' && post.status === 'published' ? 'moderator' : null;
}

/** One post; its author, and admins, also get the controls to edit and delete it. */
export function postPage(currentUser: UserPrivateBody | null, post: PostResponseBody) {
  const acting = actingOn(currentUser, post);
  return renderPage(
    post.title,
    currentUser,
    <>
      <PostCard post={post} link={false} />
      {acting && (
        <>
          <PostActions acting={acting} />
          <EditPostModal post={post} acting={acting} />
          <DeletePostModal post={post} acting={acting} />
        </>
      )}
      <p>{post.status === 'draft' ? <a href="/drafts">← Your drafts</a> : <a href="/">← All posts</a>}</p>
    </>,
    postHead(post),
  );
}
