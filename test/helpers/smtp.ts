// A real SMTP server for the tests (smtp-server, plain SMTP on 127.0.0.1):
// the site's mail goes over the network to it as it would to any mail
// server, and each accepted mail is parsed as a recipient reads it. Its
// behaviour is set per test: accept, refuse for a while (451), refuse for
// good (550), never answer the end of DATA, or answer slowly.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { parseMail, type ReadMail } from './mail.js';

export type SmtpBehaviour =
  | { kind: 'accept' }
  /** Answers the next `times` deliveries with 451, then accepts. */
  | { kind: 'fail-temporarily'; times: number }
  /** Answers every delivery with 550 (permanent). */
  | { kind: 'reject' }
  /** Never answers the end of DATA (until behave() changes it, or close). */
  | { kind: 'stall' }
  /** Accepts, but only after `ms`. */
  | { kind: 'slow'; ms: number };

export interface TestSmtpServer {
  port: number;
  /** smtp://[user:pass@]127.0.0.1:port */
  url: string;
  /** Accepted mails, parsed, in order. */
  received: ReadMail[];
  /** Deliveries tried: each complete DATA, accepted or refused. */
  attempts: number;
  /** Resolves with the first `count` accepted mails; rejects with what did arrive after `timeoutMs` (10 s). */
  waitForMails(count: number, timeoutMs?: number): Promise<ReadMail[]>;
  /** Resolves once `count` deliveries were tried; rejects after `timeoutMs` (10 s). */
  waitForAttempts(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves when no client is connected (a killed sender's connection has been seen to close). */
  waitForNoConnections(timeoutMs?: number): Promise<void>;
  behave(behaviour: SmtpBehaviour): void;
  /** Stops listening; stalled deliveries are answered 421 and every connection ends. */
  close(): Promise<void>;
}

type Answer = (error?: Error | null) => void;

const refusal = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    stream.on('error', reject);
  });
}

export async function startSmtpServer(
  options: { auth?: { user: string; pass: string }; behaviour?: SmtpBehaviour } = {},
): Promise<TestSmtpServer> {
  const { auth } = options;
  let behaviour: SmtpBehaviour = options.behaviour ?? { kind: 'accept' };
  let closing = false;
  let connections = 0;
  const stalled: { raw: Buffer; answer: Answer; sessionId: string }[] = [];
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const check of [...waiters]) check();
  };
  // Mails are parsed one after another, so `received` keeps the order they came in.
  let parsing = Promise.resolve();

  function accept(raw: Buffer, answer: Answer): void {
    parsing = parsing.then(async () => {
      try {
        state.received.push(await parseMail(raw));
        answer();
      } catch (error) {
        answer(refusal(554, `the test server could not parse the mail: ${String(error)}`));
      }
      changed();
    });
  }

  /** Answers a delivery whose DATA has fully arrived, as the current behaviour says. */
  function answerDelivery(raw: Buffer, answer: Answer, sessionId: string): void {
    if (closing) {
      answer(refusal(421, 'Server shutting down'));
      return;
    }
    switch (behaviour.kind) {
      case 'accept':
        accept(raw, answer);
        return;
      case 'fail-temporarily':
        if (behaviour.times > 0) {
          behaviour = { ...behaviour, times: behaviour.times - 1 };
          answer(refusal(451, 'Requested action aborted: try again later'));
        } else accept(raw, answer);
        return;
      case 'reject':
        answer(refusal(550, 'Mailbox unavailable'));
        return;
      case 'stall':
        stalled.push({ raw, answer, sessionId });
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          accept(raw, answer);
        }, behaviour.ms);
        timer.unref();
        return;
      }
    }
  }

  const server = new SMTPServer({
    secure: false,
    logger: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    ...(auth && { allowInsecureAuth: true, authOptional: false }),
    // Connections still open this long after close() are ended (stalled clients).
    closeTimeout: 500,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.pass) {
        callback(null, { user: credentials.username });
      } else {
        callback(refusal(535, 'Authentication credentials invalid'));
      }
    },
    // A client that went away (a killed sender) takes its stalled delivery with it:
    // it must not count as received when the behaviour changes later.
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onClose(session) {
      connections -= 1;
      changed();
      for (let i = stalled.length - 1; i >= 0; i--) if (stalled[i]?.sessionId === session.id) stalled.splice(i, 1);
    },
    onData(stream, session, callback) {
      readAll(stream).then(
        (raw) => {
          state.attempts += 1;
          changed();
          answerDelivery(raw, callback, session.id);
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client that goes away mid-session is no failure of the test server.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';

  function waitFor(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`test SMTP server: ${describe()} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  const state: TestSmtpServer = {
    port,
    url: `smtp://${credentials}127.0.0.1:${port}`,
    received: [],
    attempts: 0,
    async waitForMails(count, timeoutMs = 10_000) {
      await waitFor(
        () => state.received.length >= count,
        timeoutMs,
        () =>
          `expected ${count} mail(s), received ${state.received.length} ` +
          `(${JSON.stringify(state.received.map((mail) => mail.subject))}) after ${state.attempts} attempt(s)`,
      );
      return state.received.slice(0, count);
    },
    waitForAttempts(count, timeoutMs = 10_000) {
      return waitFor(
        () => state.attempts >= count,
        timeoutMs,
        () => `expected ${count} delivery attempt(s), saw ${state.attempts}`,
      );
    },
    waitForNoConnections(timeoutMs = 10_000) {
      return waitFor(
        () => connections === 0,
        timeoutMs,
        () => `expected no client connected, ${connections} still are`,
      );
    },
    behave(next) {
      behaviour = next;
      // Stalled deliveries get the new behaviour's answer.
      for (const delivery of stalled.splice(0)) answerDelivery(delivery.raw, delivery.answer, delivery.sessionId);
    },
    async close() {
      closing = true;
      for (const delivery of stalled.splice(0)) delivery.answer(refusal(421, 'Server shutting down'));
      await new Promise<void>((resolve) => {
        server.close(resolve);
      });
      await parsing;
    },
  };
  return state;
}
