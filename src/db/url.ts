// Database URLs: `sqlite:<file>` (the default) or `postgres://…`.

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** The file of a `sqlite:` URL (`:memory:` for an in-memory database). */
export const sqliteFileOf = (url: string): string => url.replace(/^sqlite:/, '');
