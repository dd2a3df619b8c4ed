// The second wall: whatever markdown-it and the policy let through is cut to
// the tags and attributes a post may have, by a sanitiser made for it. Ids
// are dropped (several posts share a page, and ids could clobber the page's).
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'pre',
    'code',
    'em',
    'strong',
    's',
    'a',
    'img',
    'ul',
    'ol',
    'li',
    'input',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    ol: ['start'],
    ul: ['class'],
    li: ['class'],
    input: ['type', 'checked', 'disabled', 'class', 'aria-label'],
    th: ['class'],
    td: ['class'],
    code: ['class'],
  },
  allowedClasses: {
    ul: ['task-list-container'],
    li: ['task-list-item'],
    input: ['task-list-item-checkbox'],
    th: ['text-start', 'text-center', 'text-end'],
    td: ['text-start', 'text-center', 'text-end'],
    code: [/^language-[\w-]+$/],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    // A task list's box: shown, never a control, and named for screen readers.
    input: (_tagName, attribs) => {
      const done = attribs.checked !== undefined;
      return {
        tagName: 'input',
        attribs: {
          type: 'checkbox',
          class: 'task-list-item-checkbox',
          disabled: '',
          ...(done ? { checked: '' } : {}),
          'aria-label': done ? 'Done' : 'Not done',
        },
      };
    },
  },
};

export function sanitizePostHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
