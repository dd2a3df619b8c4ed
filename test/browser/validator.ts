// The Nu HTML Checker (vnu-jar, the W3C validator) over many documents in one
// run: the JVM takes a second or two to start, so it is started once.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const VNU_JAR = createRequire(import.meta.url)('vnu-jar') as string;

export interface HtmlDocument {
  /** What the document is, e.g. "/account (author, dark)". */
  name: string;
  html: string;
}

interface VnuMessage {
  type: string;
  url?: string;
  message: string;
  lastLine?: number;
  extract?: string;
}

/** Every error vnu finds in the documents, each as "name, line n: message (extract)". */
export async function htmlErrors(documents: HtmlDocument[]): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vnu-'));
  try {
    const names = new Map<string, string>();
    const files = documents.map((document, index) => {
      const file = path.join(dir, `${String(index).padStart(3, '0')}.html`);
      writeFileSync(file, document.html);
      names.set(file, document.name);
      return file;
    });
    // --exit-zero-always: errors are read from the report, not from the exit status.
    const { stderr } = await run(
      'java',
      ['-jar', VNU_JAR, '--format', 'json', '--errors-only', '--exit-zero-always', ...files],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const { messages } = JSON.parse(stderr) as { messages: VnuMessage[] };
    return messages
      .filter((message) => message.type === 'error' || message.type === 'non-document-error')
      .map((message) => {
        const file = message.url ? new URL(message.url).pathname : '';
        const where = `${names.get(file) ?? file}, line ${String(message.lastLine ?? '?')}`;
        return `${where}: ${message.message}${message.extract ? ` (${message.extract.trim()})` : ''}`;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
