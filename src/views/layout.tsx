// The page frame: navigation, sidebar, footer, the New Post modal. Preact
// renders to a string on the server and escapes every interpolated value.
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { UserPrivateBody } from '../schemas/users.js';
import { ASSETS } from './assets.js';
import { ModalForm } from './components/index.js';
import { PostEditorFields, PUBLISH, SAVE_DRAFT } from './components/post-editor.js';
import { SearchBox } from './components/search.js';
import { PageHeadTags, SiteFeedLink, type PageHead, type Site } from './head.js';
import { escapeHtml, type HtmlPage } from './html.js';

/** Who is signed in, or null for a visitor. */
interface CurrentUserProps {
  currentUser: UserPrivateBody | null;
}

function ThemeSwitch() {
  const choices = [
    ['light', 'Light'],
    ['dark', 'Dark'],
    ['auto', 'Auto'],
  ] as const;
  return (
    <li class="nav-item dropdown">
      <button
        class="btn btn-link nav-link dropdown-toggle"
        type="button"
        id="theme-menu"
        data-bs-toggle="dropdown"
        aria-expanded="false"
        aria-label="Colour theme"
      >
        Theme
      </button>
      <ul class="dropdown-menu dropdown-menu-end" aria-labelledby="theme-menu">
        {choices.map(([value, label]) => (
          <li>
            <button type="button" class="dropdown-item" data-theme-value={value} aria-pressed="false">
              {label}
            </button>
          </li>
        ))}
      </ul>
    </li>
  );
}

/** A link of the navigation bar; the account link carries the name the browser code updates. */
function NavLink(props: { href: string; currentUsername?: boolean; children: ComponentChildren }) {
  return (
    <li class="nav-item">
      <a class="nav-link" href={props.href} data-current-username={props.currentUsername}>
        {props.children}
      </a>
    </li>
  );
}

function Navigation({
  currentUser,
  siteName,
  canRegister,
}: CurrentUserProps & { siteName: string; canRegister: boolean }) {
  return (
    <nav class="navbar navbar-expand-md bg-body-tertiary border-bottom" aria-label="Main">
      <div class="container">
        <a class="navbar-brand fw-bold" href="/">
          {siteName}
        </a>
        <button
          class="navbar-toggler"
          type="button"
          data-bs-toggle="collapse"
          data-bs-target="#main-nav"
          aria-controls="main-nav"
          aria-expanded="false"
          aria-label="Toggle navigation"
        >
          <span class="navbar-toggler-icon"></span>
        </button>
        <div class="collapse navbar-collapse" id="main-nav">
          <ul class="navbar-nav me-auto">
            <NavLink href="/">Home</NavLink>
            {currentUser?.role === 'admin' && <NavLink href="/admin">Admin</NavLink>}
          </ul>
          <SearchBox id="nav-search" small class="my-2 my-md-0 me-md-3" />
          <ul class="navbar-nav align-items-md-center gap-md-2">
            <ThemeSwitch />
            {currentUser ? (
              <>
                <li class="nav-item">
                  <button
                    type="button"
                    class="btn btn-primary btn-sm"
                    data-bs-toggle="modal"
                    data-bs-target="#new-post-modal"
                  >
                    New Post
                  </button>
                </li>
                <NavLink href="/account" currentUsername>
                  {currentUser.username}
                </NavLink>
                <li class="nav-item">
                  <form method="post" action="/logout" class="d-inline">
                    <button type="submit" class="btn btn-link nav-link">
                      Logout
                    </button>
                  </form>
                </li>
              </>
            ) : (
              <>
                <NavLink href="/login">Login</NavLink>
                {canRegister && <NavLink href="/register">Register</NavLink>}
              </>
            )}
          </ul>
        </div>
      </div>
    </nav>
  );
}

function Sidebar({ currentUser, canRegister }: CurrentUserProps & { canRegister: boolean }) {
  return (
    <aside class="col-lg-4" aria-label="About this blog">
      <div class="card mb-3">
        <div class="card-body">
          <h2 class="h5 card-title">About</h2>
          <p class="card-text">
            A small, fast blog. Write posts, page through everyone else's, and keep your account yours.
          </p>
          {!currentUser && canRegister && (
            <p class="card-text">
              <a href="/register">Create an account</a> to start writing.
            </p>
          )}
        </div>
      </div>
      <div class="card">
        <div class="card-body">
          <h2 class="h5 card-title">Developers</h2>
          <ul class="list-unstyled mb-0">
            <li>
              <a href="/docs">API documentation</a>
            </li>
            <li>
              <a href="/openapi.json">OpenAPI document</a>
            </li>
          </ul>
        </div>
      </div>
    </aside>
  );
}

function NewPostModal() {
  return (
    <ModalForm
      id="new-post-modal"
      title="New Post"
      form={{ id: 'new-post-form', 'data-api-form': 'create-post', novalidate: false }}
      footer={{ submit: PUBLISH, alternative: SAVE_DRAFT, variant: 'primary' }}
      large
    >
      <PostEditorFields form="new-post" rows={8} />
    </ModalForm>
  );
}

export function Layout({
  site,
  title,
  head,
  currentUser,
  children,
}: { site: Site; title: string; head: ComponentChildren; children: ComponentChildren } & CurrentUserProps) {
  // With an invitation, /register is still the way in (it explains what is needed).
  const canRegister = site.registration !== 'closed';
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · ${site.name}`}</title>
        {head}
        <SiteFeedLink site={site} />
        <link rel="icon" href={ASSETS.favicon} type="image/svg+xml" />
        <link rel="stylesheet" href={ASSETS.css} />
        {/* Applies the saved theme before the first paint; tiny and blocking on purpose. */}
        <script src={ASSETS.theme}></script>
        <script type="module" src={ASSETS.script}></script>
      </head>
      <body data-user-id={currentUser ? String(currentUser.id) : undefined}>
        <a class="visually-hidden-focusable position-absolute top-0 start-0 p-2 bg-body" href="#main">
          Skip to content
        </a>
        <header>
          <Navigation currentUser={currentUser} siteName={site.name} canRegister={canRegister} />
        </header>
        <div class="container my-4">
          <div class="row g-4">
            <main id="main" class="col-lg-8" tabIndex={-1}>
              {children}
            </main>
            <Sidebar currentUser={currentUser} canRegister={canRegister} />
          </div>
        </div>
        <footer class="border-top py-4 mt-4 text-body-secondary">
          <div class="container d-flex flex-wrap justify-content-between gap-2 small">
            <span>{site.name}</span>
            <a href="/feed.xml">Feed</a>
            <a href="/docs">API documentation</a>
          </div>
        </footer>
        {currentUser && <NewPostModal />}
        <div
          class="toast-container position-fixed bottom-0 end-0 p-3"
          id="toasts"
          aria-live="polite"
          aria-atomic="true"
        ></div>
      </body>
    </html>
  );
}

const TITLE_MARK = '\u0000title\u0000';
const HEAD_MARK = '\u0000head\u0000';
const MAIN_MARK = '\u0000main\u0000';
/** The signed-out layout, rendered once per site (an app has one; a test process may have a few). */
const anonymousShells = new Map<string, [string, string, string, string]>();

function anonymousShell(site: Site): [string, string, string, string] {
  const key = `${site.name}\u0000${site.url}\u0000${site.registration ?? 'open'}`;
  let shell = anonymousShells.get(key);
  if (!shell) {
    const parts = renderToString(
      <Layout site={site} title={TITLE_MARK} head={HEAD_MARK} currentUser={null}>
        {MAIN_MARK}
      </Layout>,
    ).split(new RegExp(`${TITLE_MARK}|${HEAD_MARK}|${MAIN_MARK}`));
    if (parts.length !== 4) throw new Error('the layout must show its title, head and main content exactly once');
    shell = parts as [string, string, string, string];
    anonymousShells.set(key, shell);
  }
  return shell;
}

/**
 * A whole page: the layout around `main`, for the site it is sent from
 * (sendHtml). For signed-out visitors (most traffic) the layout is rendered
 * once and kept, and only the page's own title, head and content are
 * rendered per request. `head` is what the page tells search engines and
 * feed readers, e.g. `{ noindex: true }` for a page that search results
 * should not list.
 */
export function renderPage(
  title: string,
  currentUser: UserPrivateBody | null,
  main: preact.VNode,
  head: PageHead = {},
): HtmlPage {
  return (site) => {
    const headTags = <PageHeadTags site={site} head={head} />;
    if (currentUser) {
      const page = (
        <Layout site={site} title={title} head={headTags} currentUser={currentUser}>
          {main}
        </Layout>
      );
      return `<!doctype html>${renderToString(page)}`;
    }
    const [beforeTitle, beforeHead, beforeMain, afterMain] = anonymousShell(site);
    // The title is put into the kept shell by hand, not by Preact, so it is escaped here.
    return `<!doctype html>${beforeTitle}${escapeHtml(title)}${beforeHead}${renderToString(headTags)}${beforeMain}${renderToString(main)}${afterMain}`;
  };
}
