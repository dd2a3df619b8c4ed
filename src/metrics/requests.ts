// Each HTTP request's count and duration, by method, route pattern and status.
import { Counter, Histogram, type Registry } from 'prom-client';

/** Request durations, 1 ms to 10 s: a page from the replay cache takes about 1 ms, an upload seconds. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const LABELS = ['method', 'route', 'status'] as const;
type RequestLabel = (typeof LABELS)[number];

/** The recorder of completed requests; `route` is the route's pattern, undefined when no route matched. */
export function createRequestMetrics(registry: Registry) {
  const registers = [registry];
  const requests = new Counter({
    name: 'blog_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: LABELS,
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'blog_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer having gone, by method, route pattern and status.',
    labelNames: LABELS,
    buckets: REQUEST_BUCKETS,
    registers,
  });

  // One pair of label children per method, route and status, found by one
  // Map lookup: prom-client otherwise sorts and joins the labels on every call.
  const series = new Map<string, { count: Counter.Internal; seconds: Histogram.Internal<RequestLabel> }>();

  return function requestCompleted(method: string, route: string | undefined, status: number, seconds: number): void {
    const key = `${method} ${route ?? ''} ${status}`;
    let found = series.get(key);
    if (!found) {
      // Every unmatched URL is one series, whatever was asked: the label values stay few.
      const labels = [method, route ?? 'unmatched', String(status)];
      found = { count: requests.labels(...labels), seconds: requestSeconds.labels(...labels) };
      series.set(key, found);
    }
    found.count.inc();
    found.seconds.observe(seconds);
  };
}
