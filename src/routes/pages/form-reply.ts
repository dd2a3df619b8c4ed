// How a page's form post is answered. Without JavaScript the form is a plain
// post: a redirect when it worked, the page again with its messages when it
// did not. The browser code sends the same form asking for JSON, and gets
// `{redirect}` or the API's `{detail}` to show in place.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, HttpError, RequestValidationError, type ErrorDetail } from '../../errors.js';
import { isSameOriginRequest } from '../../plugins/auth.js';
import { sendHtml, type HtmlPage } from '../../views/html.js';

export const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');

/** Login CSRF: a form post that signs someone in (or out) must come from this site. */
export function assertSameOrigin(request: FastifyRequest): void {
  if (!isSameOriginRequest(request)) throw forbidden('Cross-site request refused');
}

/** `render(detail)`: the form's page again, showing `detail` next to the fields it is about. */
export function formReply(request: FastifyRequest, reply: FastifyReply, render: (detail: ErrorDetail) => HtmlPage) {
  const fail = (status: number, detail: ErrorDetail) =>
    wantsJson(request) ? reply.code(status).send({ detail }) : sendHtml(reply, status, render(detail));
  return {
    fail,
    /** The form worked: on to `location` (JSON: `{redirect}` with `status`). */
    done: (location: string, status = 200) =>
      wantsJson(request) ? reply.code(status).send({ redirect: location }) : reply.redirect(location, 303),
    /** Runs the form's action; the client errors it raises (400, 401, 422, 429…) are shown on the form. */
    async run(action: () => Promise<FastifyReply>): Promise<FastifyReply> {
      try {
        return await action();
      } catch (error) {
        // A rule the service checks on a field (a common password): shown next to that field.
        if (error instanceof RequestValidationError) return fail(422, error.details);
        if (!(error instanceof HttpError) || error.statusCode >= 500) throw error;
        reply.headers(error.headers); // Retry-After of a 429
        return fail(error.statusCode, error.detail);
      }
    },
  };
}
