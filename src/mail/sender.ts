// The background sender: takes due mails from the outbox one at a time and
// delivers them, off every request's path. Woken at once when a transaction
// queues mail, it otherwise sleeps until the next retry is due or, at the
// longest, one poll interval (for mail other instances queued). A failure is
// retried with exponential backoff; a permanent refusal (SMTP 5xx), or the
// last allowed attempt, leaves the mail failed with its error, and logged.
import type { FastifyBaseLogger } from 'fastify';
import type { MailSettings } from '../config/index.js';
import type { Metrics } from '../metrics/index.js';
import type { ClaimedMail, MailOutboxRepository, Settlement } from '../repositories/mail-outbox.js';
import type { OutgoingMail } from './message.js';
import type { MailTransport } from './transport.js';

/** Builds a queued mail's message; null when it has no one to go to any more (it is dropped). */
/** Why a queued mail is not sent after all (its subject is gone), kept as the mail's note. */
export interface DroppedMail {
  dropped: string;
}

export type ComposeMail = (mail: ClaimedMail) => Promise<OutgoingMail | DroppedMail>;

export interface MailSenderDeps {
  outbox: MailOutboxRepository;
  compose: ComposeMail;
  transport: MailTransport;
  settings: MailSettings;
  log: FastifyBaseLogger;
  metrics: Pick<Metrics, 'mailSendFailed'>;
  now?: () => number;
}

const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;
/** Shortest sleep between rounds, so a mail due "now" that another instance holds does not spin the loop. */
const MIN_SLEEP_MS = 20;
/** How long stopping waits for the mail being sent. */
const STOP_GRACE_MS = 15_000;

/** The wait before attempt `attempts + 1`: the base, doubled for each failure after the first. */
export function backoffMs(baseMs: number, attempts: number): number {
  return Math.min(baseMs * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
}

/** An SMTP server's permanent refusal (5xx): retrying cannot help. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000);
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`delivery took longer than ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Ends a claim and logs how; a claim that lapsed (another sender holds the
 * mail now, and may send it again) is logged as such, not as the outcome.
 */
async function settle(
  { outbox, log }: Pick<MailSenderDeps, 'outbox' | 'log'>,
  mail: ClaimedMail,
  settlement: Settlement,
  logOutcome: () => void,
): Promise<void> {
  if (await outbox.settle(mail, settlement)) logOutcome();
  else
    log.warn(
      { mailId: mail.id, kind: mail.kind, attempt: mail.attempts, outcome: settlement.state },
      'mail claim lapsed during the delivery: another sender holds the mail now',
    );
}

/** A failed delivery: counted, then retried after its backoff, or given up when it is permanent or the last. */
async function settleFailure(deps: MailSenderDeps, mail: ClaimedMail, error: unknown, now: () => number) {
  const { settings, log } = deps;
  deps.metrics.mailSendFailed();
  const context = { mailId: mail.id, kind: mail.kind, attempt: mail.attempts, reason: describe(error) };
  if (isPermanent(error) || mail.attempts >= settings.maxAttempts) {
    await settle(deps, mail, { state: 'failed', error: context.reason }, () => {
      log.error(context, 'mail given up: it stays in the outbox, failed, with this error');
    });
  } else {
    const retryInMs = backoffMs(settings.retryBaseMs, mail.attempts);
    await settle(deps, mail, { state: 'queued', nextAttemptAt: now() + retryInMs, error: context.reason }, () => {
      log.warn({ ...context, retryInMs }, 'mail not sent: will try again');
    });
  }
}

export function createMailSender(deps: MailSenderDeps) {
  const { outbox, compose, transport, settings, log } = deps;
  const now = deps.now ?? Date.now;
  const leaseMs = 2 * settings.sendTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let wokenDuringRound = false;
  let stopping = false;

  async function deliver(mail: ClaimedMail): Promise<void> {
    const context = { mailId: mail.id, kind: mail.kind, attempt: mail.attempts };
    try {
      const message = await compose(mail);
      if ('dropped' in message) {
        await outbox.settle(mail, { state: 'dropped', at: now(), note: message.dropped });
        return;
      }
      await withDeadline(transport.deliver({ ...message, from: settings.from }), settings.sendTimeoutMs);
      await settle(deps, mail, { state: 'sent', at: now() }, () => {
        log.info(context, 'mail sent');
      });
    } catch (error) {
      await settleFailure(deps, mail, error, now);
    }
  }

  async function sendDue(): Promise<void> {
    for (;;) {
      const [mail] = await outbox.claimDue(now(), leaseMs, 1);
      if (!mail) return;
      if (stopping) {
        // Not started: back in the queue at once, for the next instance.
        await outbox.settle(mail, { state: 'queued', nextAttemptAt: now(), attemptsBack: 1 });
        return;
      }
      await deliver(mail);
    }
  }

  async function runRound(): Promise<void> {
    do {
      wokenDuringRound = false;
      await sendDue();
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- wake() sets it while sendDue() awaits
    } while (wokenDuringRound && !stopping);
    if (stopping) return;
    const due = await outbox.nextDueAt();
    const sleep = due === undefined ? settings.pollMs : Math.min(Math.max(due - now(), MIN_SLEEP_MS), settings.pollMs);
    timer = setTimeout(wake, sleep);
    timer.unref();
  }

  /** Sends what is due now; a call during a round makes the round look again. */
  function wake(): void {
    if (stopping) return;
    if (round) {
      wokenDuringRound = true;
      return;
    }
    clearTimeout(timer);
    round = runRound()
      .catch((error: unknown) => {
        // The database is unreachable, say: try again at the next poll.
        log.error({ err: error }, 'mail sender round failed');
        if (!stopping) timer = setTimeout(wake, settings.pollMs).unref();
      })
      .finally(() => {
        round = undefined;
      });
  }

  return {
    start: wake,
    wake,
    /** Stops; a delivery in flight may finish (up to 15 s), mails not started stay queued. */
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(timer);
      if (!round) return;
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, STOP_GRACE_MS)));
      await Promise.race([round, grace]);
      clearTimeout(graceTimer);
    },
    /** Resolves when no round is running (tests wait on it after waking the sender). */
    async idle(): Promise<void> {
      while (round) await round;
    },
  };
}

export type MailSender = ReturnType<typeof createMailSender>;
