export { REQUEST_ID_HEADER, requestIdOf } from './request-id.ts';
export { createTracing, incomingTrace, traceHeaders, type Tracing, type TracingOptions } from './tracing.ts';
export { payloadSummary, requestSummary, type RequestSummary } from './request-summary.ts';
