import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/** Prometheus metrics of this process, served at /metrics (prom-client's text format). */
export const registry = new Registry()
collectDefaultMetrics({ register: registry })

export const httpRequests = new Counter({
  name: 'framework_pulse_http_requests_total',
  help: 'HTTP requests served, by route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
})

export const httpDuration = new Histogram({
  name: 'framework_pulse_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
})

export const memoHits = new Counter({
  name: 'framework_pulse_response_memo_hits_total',
  help: 'Requests answered from the response memo (a cached page kept whole), by route pattern',
  labelNames: ['route'] as const,
  registers: [registry],
})

export const jobRuns = new Counter({
  name: 'framework_pulse_job_runs_total',
  help: 'Source runs per framework, by source and outcome',
  labelNames: ['source', 'status'] as const,
  registers: [registry],
})

export const jobDuration = new Histogram({
  name: 'framework_pulse_job_run_duration_seconds',
  help: 'Duration of one source run for one framework',
  labelNames: ['source'] as const,
  buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [registry],
})

export const rowsWritten = new Counter({
  name: 'framework_pulse_rows_written_total',
  help: 'Observations and releases inserted or changed, by source',
  labelNames: ['source'] as const,
  registers: [registry],
})

export const sourceErrors = new Counter({
  name: 'framework_pulse_source_errors_total',
  help: 'Failed source runs, by source',
  labelNames: ['source'] as const,
  registers: [registry],
})

export const upstreamRequests = new Counter({
  name: 'framework_pulse_upstream_requests_total',
  help: 'Requests to upstream APIs, by source and HTTP status (304 = answered from our validators); status "error" = no response',
  labelNames: ['source', 'status'] as const,
  registers: [registry],
})

export const rateLimitRemaining = new Gauge({
  name: 'framework_pulse_upstream_rate_limit_remaining',
  help: 'Requests left in the upstream rate-limit window, as last reported (x-ratelimit-remaining)',
  labelNames: ['source'] as const,
  registers: [registry],
})
