// Posts in the browser: "Load more", and the New Post, Edit and Delete modals
// (their Write/Preview switch is editor.ts).
import { Modal } from './bootstrap.js';
import type { PostResponseBody } from '../src/schemas/posts.js';
import { editedTitle, formatDate } from '../src/shared/format.js';
import { answer, api } from './api.js';
import { setUpEditors } from './editor.js';
import { enhanceForm, formValues } from './forms.js';
import { setUpLoadMore } from './load-more.js';
import { toast } from './toast.js';

/**
 * What an edit changes in a card: the title, the text, "edited". A card in a
 * list has its title as a link and shows the excerpt (text) with "Read more";
 * the post's own page, the title as the heading and the rendered content
 * (see renderPost for why this HTML is safe).
 */
function showChanges(card: HTMLElement, post: PostResponseBody) {
  const excerpt = card.querySelector<HTMLElement>('[data-field="excerpt"]');
  if (excerpt) {
    field(card, 'title-link', HTMLAnchorElement).textContent = post.title;
    excerpt.textContent = post.excerpt;
    field(card, 'read-more-title', HTMLElement).textContent = post.title;
  } else {
    field(card, 'title', HTMLElement).textContent = post.title;
    field(card, 'content', HTMLElement).innerHTML = post.content_html;
  }
  const edited = field(card, 'edited', HTMLElement);
  edited.hidden = !post.updated_at;
  edited.title = editedTitle(post.updated_at);
}

/** The element of a template's copy that shows `name` (its data-field). */
export function field<T extends HTMLElement>(root: ParentNode, name: string, type: new () => T): T {
  const element = root.querySelector(`[data-field="${name}"]`);
  if (!(element instanceof type)) throw new Error(`template lacks ${name}`);
  return element;
}

/** A copy of the first element of the page's <template> with this id. */
export function fromTemplate(id: string): HTMLElement {
  const template = document.getElementById(id);
  if (!(template instanceof HTMLTemplateElement)) throw new Error(`no template #${id} on this page`);
  return (template.content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
}

/**
 * A post card of a list, built from the server's own template (the same
 * card the server renders): text goes in as text, the excerpt too. The only
 * HTML a page inserts is content_html, on the post's own page, which the
 * server rendered and sanitised (src/markdown/), never the Markdown source.
 */
export function renderPost(post: PostResponseBody): HTMLElement {
  const card = fromTemplate('post-card-template');
  const authorUrl = `/users/${post.author.id}/posts`;
  card.dataset.postId = String(post.id);
  field(card, 'avatar-link', HTMLAnchorElement).href = authorUrl;
  const avatar = field(card, 'avatar', HTMLImageElement);
  avatar.src = post.author.image_path;
  avatar.alt = `${post.author.username}'s profile picture`;
  const author = field(card, 'author', HTMLAnchorElement);
  author.href = authorUrl;
  author.textContent = post.author.username;
  const date = field(card, 'date', HTMLTimeElement);
  date.dateTime = post.date_posted;
  date.textContent = formatDate(post.date_posted);
  field(card, 'draft', HTMLElement).hidden = post.status !== 'draft';
  field(card, 'withheld', HTMLElement).hidden = !post.withheld;
  const postUrl = `/posts/${post.id}`;
  field(card, 'title-link', HTMLAnchorElement).href = postUrl;
  field(card, 'read-more', HTMLAnchorElement).href = postUrl;
  showChanges(card, post);
  return card;
}

export function closeModalOf(form: HTMLFormElement) {
  const element = form.closest('.modal');
  if (!element?.classList.contains('show')) return;
  const modal = Modal.getOrCreateInstance(element);
  // Bootstrap ignores hide() while a modal is still opening (an answer faster
  // than its transition): then it closes as soon as it is open, and only then.
  const closeOnceOpen = () => {
    modal.hide();
  };
  element.addEventListener('shown.bs.modal', closeOnceOpen, { once: true });
  element.addEventListener(
    'hidden.bs.modal',
    () => {
      element.removeEventListener('shown.bs.modal', closeOnceOpen);
    },
    { once: true },
  );
  modal.hide();
}

function setUpMorePosts(button: HTMLAnchorElement) {
  const list = document.querySelector<HTMLElement>('[data-post-list]');
  if (!list) return;
  setUpLoadMore(button, {
    list,
    apiUrl: (skip) => {
      // The API path may carry a query of its own (?status=draft).
      const url = new URL(button.dataset.api ?? '', location.origin);
      url.searchParams.set('skip', String(skip));
      url.searchParams.set('limit', button.dataset.limit ?? '');
      return `${url.pathname}${url.search}`;
    },
    pageUrl: (skip) => `${location.pathname}?skip=${skip}`,
    render: renderPost,
    failure: 'Could not load more posts.',
  });
}

/** The post a form of this page is about. */
const postOf = (form: HTMLFormElement) => ({ path: { post_id: Number(form.dataset.postId) } });

function setUpNewPost(form: HTMLFormElement) {
  enhanceForm(form, async (_form, submitter) => {
    const post = await answer(api.POST('/api/posts', { body: formValues(form, submitter) }));
    const list = document.querySelector<HTMLElement>('[data-post-list]');
    const onAllPosts = list && (location.pathname === '/' || location.pathname === '/posts');
    // A draft is shown on its own page, which only its author sees.
    if (!onAllPosts || post.status === 'draft') {
      location.assign(`/posts/${post.id}`);
      return;
    }
    list.prepend(renderPost(post));
    document.querySelector('[data-empty-list]')?.remove();
    form.reset();
    closeModalOf(form);
    toast('Your post is published.', 'success');
  });
}

function setUpEditPost(form: HTMLFormElement) {
  enhanceForm(form, async (_form, submitter) => {
    const post = await answer(
      api.PUT('/api/posts/{post_id}', { params: postOf(form), body: formValues(form, submitter) }),
    );
    // Published: the page changes more than the card (its date, its buttons, its links).
    if (post.status !== form.dataset.status) {
      location.reload();
      return;
    }
    const card = document.querySelector<HTMLElement>(`[data-post-id="${post.id}"].post-card`);
    if (card) showChanges(card, post);
    // The title is "<post title> · <site name>": only the post's part changes.
    const site = document.title.slice(document.title.lastIndexOf(' · '));
    document.title = `${post.title}${site}`;
    closeModalOf(form);
    toast('Your changes are saved.', 'success');
  });
}

function setUpDeletePost(form: HTMLFormElement) {
  enhanceForm(form, async () => {
    await answer(api.DELETE('/api/posts/{post_id}', { params: postOf(form) }));
    location.assign('/');
  });
}

export function setUpPosts(): void {
  document.querySelectorAll<HTMLAnchorElement>('[data-load-more]').forEach(setUpMorePosts);
  setUpEditors();
  const forms: [string, (form: HTMLFormElement) => void][] = [
    ['#new-post-form', setUpNewPost],
    ['#edit-post-form', setUpEditPost],
    ['#delete-post-form', setUpDeletePost],
  ];
  for (const [selector, setUp] of forms) {
    const form = document.querySelector<HTMLFormElement>(selector);
    if (form) setUp(form);
  }
}
