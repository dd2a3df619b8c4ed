// The fields of a post's form (New Post, Edit): its title, and its Markdown
// content with a Write/Preview switch. The preview is the server's own
// rendering (POST /api/posts/preview), so it shows exactly what the post will.
import { PostCreate } from '../../schemas/posts.js';
import { formFields } from './forms.js';
import type { SubmitChoice } from './modal.js';

const MARKDOWN_HELP = 'Markdown: **bold**, _italic_, [link](https://…), - lists, | tables |, - [ ] tasks';

function EditorTab(props: { id: string; pane: string; label: string; active: boolean; preview?: boolean }) {
  return (
    <li class="nav-item" role="presentation">
      <button
        type="button"
        class={`nav-link${props.active ? ' active' : ''}`}
        id={props.id}
        data-bs-toggle="tab"
        data-bs-target={`#${props.pane}`}
        role="tab"
        aria-controls={props.pane}
        aria-selected={props.active ? 'true' : 'false'}
        data-editor-tab={props.preview ? 'preview' : 'write'}
      >
        {props.label}
      </button>
    </li>
  );
}

/** Title and content of a post in the form `form` (the prefix of the fields' ids), filled with `post` if given. */
export function PostEditorFields(props: { form: string; post?: { title: string; content: string }; rows: number }) {
  const { form, post, rows } = props;
  const field = formFields(form, PostCreate);
  const write = `${form}-write`;
  const preview = `${form}-preview`;
  return (
    <>
      {field('title', { label: 'Title', value: post?.title })}
      <div data-markdown-editor>
        <ul class="nav nav-tabs" role="tablist">
          <EditorTab id={`${write}-tab`} pane={write} label="Write" active />
          <EditorTab id={`${preview}-tab`} pane={preview} label="Preview" active={false} preview />
        </ul>
        {/* No fade: the switch back to Write before a submission must be
            immediate, so a field's error can take the focus at once. */}
        <div class="tab-content pt-3">
          <div class="tab-pane active" id={write} role="tabpanel" aria-labelledby={`${write}-tab`}>
            {field('content', { label: 'Content', value: post?.content, rows, hint: MARKDOWN_HELP })}
          </div>
          <div class="tab-pane" id={preview} role="tabpanel" aria-labelledby={`${preview}-tab`} tabIndex={0}>
            <div class="alert alert-danger d-none" role="alert" data-preview-error></div>
            <div class="post-content editor-preview border rounded p-3 mb-3" data-preview aria-live="polite"></div>
          </div>
        </div>
      </div>
    </>
  );
}

/** The editors' two ways to save: as a draft, or published (the status of the post). */
export const SAVE_DRAFT = { label: 'Save draft', name: 'status', value: 'draft' } satisfies SubmitChoice;
export const PUBLISH = { label: 'Publish', name: 'status', value: 'published' } satisfies SubmitChoice;
