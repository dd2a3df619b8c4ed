// Shared by `npm run export` and `npm run import`: the file format, its
// validation, batching and argument parsing. The format is plain JSON so a
// site can move between SQLite and PostgreSQL (either way) or be inspected
// with ordinary tools. Its schema is src/schemas/export-file.ts.
import type { ErrorObject } from 'ajv';
import { createAjv } from '../schemas/compile.js';
import { NO_NUL } from '../schemas/common.js';
import { EXPORT_VERSION, ExportFile, READABLE_DATE } from '../schemas/export-file.js';

export { EXPORT_FORMAT, EXPORT_VERSION } from '../schemas/export-file.js';
export type { ExportedPost, ExportedUser, ExportFile, LastIds } from '../schemas/export-file.js';

/** Rows read per query by export (keyset by id), so the whole site is never in memory at once. */
export const READ_BATCH_SIZE = 1000;
/** Rows per INSERT statement on import: well under SQLite's and PostgreSQL's bound-parameter limits. */
export const WRITE_BATCH_SIZE = 500;

/** An expected failure: printed as one line, without a stack trace, and exit code 1. */
export class TransferError extends Error {
  override name = 'TransferError';
}

/** Reads rows in id order, `size` at a time, each query starting after the last id seen. */
export async function* keysetBatches<T extends { id: number }>(
  readAfter: (afterId: number, limit: number) => Promise<T[]>,
  size = READ_BATCH_SIZE,
): AsyncGenerator<T[]> {
  let afterId = 0;
  for (;;) {
    const rows = await readAfter(afterId, size);
    const last = rows.at(-1);
    if (last === undefined) return;
    yield rows;
    if (rows.length < size) return;
    afterId = last.id;
  }
}

/** Consecutive slices of at most `size` items. */
export function* chunks<T>(items: readonly T[], size = WRITE_BATCH_SIZE): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Positional arguments and flags; a flag listed in `withValue` takes the next argument. */
export function parseArguments(
  argv: readonly string[],
  known: { flags: readonly string[]; withValue?: readonly string[] },
): { positional: string[]; flags: Set<string>; values: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const args = argv.values();
  for (const arg of args) {
    if (known.withValue?.includes(arg)) {
      const { value } = args.next(); // the flag's value is the next argument, not one of its own
      if (value === undefined || value === '') throw new TransferError(`${arg} needs a value`);
      values.set(arg, value);
    } else if (known.flags.includes(arg)) {
      flags.add(arg);
    } else if (arg.startsWith('--')) {
      throw new TransferError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags, values };
}

// --- Validation: everything is checked before import writes anything. ---

/** The parts of a schema node that messages are made from. */
interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  refusal?: string | Partial<Record<string, string>>;
}

const ajv = createAjv({ verbose: true }); // verbose: each error carries its schema node and value
ajv.addFormat(READABLE_DATE, (text) => !Number.isNaN(Date.parse(text)));
ajv.addKeyword({ keyword: 'refusal', schemaType: ['string', 'object'] }); // an annotation: declared, so strict mode would accept it
const checkSchema = ajv.compile<ExportFile>(ExportFile);
const fileSchema = ExportFile as SchemaNode;

const typeWords: Partial<Record<string, string>> = {
  object: 'is not an object',
  array: 'is not an array',
  string: 'is not a string',
};

/** Lengths count code points, as ajv, the API and the databases do. */
const lengthWords = (min: number, max: number | undefined) =>
  max === undefined
    ? `must be at least ${min} character${min === 1 ? '' : 's'} long`
    : `must be ${min} to ${max} characters long`;

/** How a value failing `keyword` of `node` is refused: the node's own words, else the generic ones. */
function refusal(node: SchemaNode, keyword: string): string | undefined {
  const own = typeof node.refusal === 'string' ? node.refusal : node.refusal?.[keyword];
  if (own !== undefined) return own;
  switch (keyword) {
    case 'type': // a union here is a missing field (its alternatives report their own errors): name the first
      return node.type === undefined
        ? node.anyOf?.map((branch) => refusal(branch, 'type')).find(Boolean)
        : typeWords[node.type];
    case 'minLength':
    case 'maxLength':
      return lengthWords(node.minLength ?? 0, node.maxLength);
    case 'pattern':
      return node.pattern === NO_NUL ? 'contains a NUL character or an unpaired surrogate' : undefined;
    default:
      return undefined;
  }
}

interface Problem {
  /** Field names and row indexes from the top of the file. */
  path: string[];
  words: string;
}

function problemOf(error: ErrorObject): Problem {
  const path = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  const node = error.parentSchema as SchemaNode;
  if (error.keyword === 'required') {
    // A missing field is refused in the words for a value of the wrong type.
    const name = (error.params as { missingProperty: string }).missingProperty;
    const field = node.properties?.[name];
    return { path: [...path, name], words: phrase(field && refusal(field, 'type'), error, undefined) };
  }
  return { path, words: phrase(refusal(node, error.keyword), error, error.data) };
}

/** The words, or ajv's own message where none were written; "{value}" becomes the value found, as JSON. */
function phrase(words: string | undefined, error: ErrorObject, value: unknown): string {
  const text = words ?? error.message ?? `fails "${error.keyword}"`;
  return text.replace('{value}', () => (value === undefined ? 'undefined' : JSON.stringify(value)));
}

const unescapePointer = (segment: string) => segment.replaceAll('~1', '/').replaceAll('~0', '~');

/** Where a path is in the file: fields in the schema's order (the order export writes), rows by index. */
function position(path: readonly string[]): number[] {
  let node: SchemaNode | undefined = fileSchema;
  return path.map((segment) => {
    if (node?.items) {
      node = node.items;
      return Number(segment);
    }
    const names = Object.keys(node?.properties ?? {});
    node = node?.properties?.[segment];
    return names.indexOf(segment);
  });
}

function inFileOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

/** `users[0].username`, `"last_ids".users`, `"posts"`: a top-level field is quoted unless rows follow. */
function where(path: readonly string[]): string {
  const [first, ...rest] = path;
  if (first === undefined) return 'the top level';
  const isIndex = (segment: string | undefined) => segment !== undefined && /^\d+$/.test(segment);
  const head = isIndex(rest[0]) ? first : JSON.stringify(first);
  return head + rest.map((segment) => (isIndex(segment) ? `[${segment}]` : `.${segment}`)).join('');
}

function fail(where: string, problem: string): never {
  throw new TransferError(`invalid export file: ${where} ${problem}`);
}

/** The first problem in file order; ajv's order (type, then length, then pattern) decides within one field. */
function failOnSchema(errors: readonly ErrorObject[]): never {
  const problems = errors.map((error) => {
    const problem = problemOf(error);
    return { ...problem, at: position(problem.path) };
  });
  const [first] = problems.sort((a, b) => inFileOrder(a.at, b.at)); // sort is stable
  fail(first ? where(first.path) : 'the file', first?.words ?? 'is not valid');
}

const notAscending = 'is not greater than the id before it (ids must be unique and ascending)';

/** What the schema cannot say: ids ascend within each list, and every post's user is in the file. */
function checkRows({ users, posts }: ExportFile): void {
  let previous = 0;
  for (const [i, user] of users.entries()) {
    if (user.id <= previous) fail(`users[${i}].id`, notAscending);
    previous = user.id;
  }
  const userIds = new Set(users.map((user) => user.id));
  previous = 0;
  for (const [i, post] of posts.entries()) {
    if (post.id <= previous) fail(`posts[${i}].id`, notAscending);
    if (!userIds.has(post.user_id)) {
      fail(`posts[${i}].user_id`, `refers to user ${post.user_id}, who is not in the file`);
    }
    previous = post.id;
  }
}

/**
 * Checks the parsed file and returns it, changed in place: unknown fields are
 * removed, timestamps normalised, and an older version's file brought to
 * this version (what its fields mean by default). Throws TransferError naming the first
 * problem in the file's order.
 */
export function validateExportFile(value: unknown): ExportFile {
  if (!checkSchema(value)) failOnSchema(checkSchema.errors ?? []);
  checkRows(value);
  // Not the read path's shortcut for canonical text: Date also moves "2024-02-31" to March, as stored dates must be.
  const iso = (text: string) => new Date(text).toISOString();
  value.exported_at = iso(value.exported_at);
  for (const user of value.users) {
    user.created_at = iso(user.created_at);
    user.role ??= 'user';
    user.suspended_at = user.suspended_at ? iso(user.suspended_at) : null;
    if (user.two_factor) {
      user.two_factor.enabled_at = iso(user.two_factor.enabled_at);
      for (const code of user.two_factor.recovery_codes) code.used_at = code.used_at ? iso(code.used_at) : null;
    }
  }
  for (const post of value.posts) {
    post.date_posted = iso(post.date_posted);
    post.status ??= 'published';
    post.updated_at = post.updated_at ? iso(post.updated_at) : null;
  }
  value.version = EXPORT_VERSION;
  return value;
}
