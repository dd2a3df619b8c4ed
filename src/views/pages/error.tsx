import type { UserPrivateBody } from '../../schemas/users.js';
import { renderPage } from '../layout.js';

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Page not found',
  413: 'Too large',
  422: 'Invalid request',
  429: 'Too many requests',
  500: 'Something went wrong',
};

/** An HTTP error as a page. A server error's message stays in the log: it may tell too much. */
export function errorPage(currentUser: UserPrivateBody | null, status: number, message: string) {
  const title = STATUS_TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Request failed');
  return renderPage(
    title,
    currentUser,
    <>
      <div class="py-4" data-error-status={String(status)}>
        <p class="display-4 text-body-secondary mb-0">{status}</p>
        <h1 class="h2">{title}</h1>
        <p class="lead text-break">
          {status >= 500 ? 'The server could not answer. Please try again in a moment.' : message}
        </p>
        <a href="/" class="btn btn-primary">
          Back to the home page
        </a>
      </div>
    </>,
  );
}
