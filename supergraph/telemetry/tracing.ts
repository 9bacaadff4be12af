// Traces of gateway requests with OpenTelemetry: a span per /graphql request, continued from the
// caller's W3C traceparent, and child spans for preparing the operation, executing its plan and
// each provider call, whose traceparent goes on to the provider. Manual spans only; without an
// exporter no span is made and an incoming traceparent is passed on as it came.

import { ROOT_CONTEXT, trace, type Context, type TextMapGetter, type TextMapSetter, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface TracingOptions {
  /** An OTLP/HTTP collector's base URL (http://collector:4318): spans go to its /v1/traces in batches. */
  endpoint?: string;
  /** An exporter of one's own (tests: InMemorySpanExporter); each span is exported as it ends. */
  exporter?: SpanExporter;
}

export interface Tracing {
  tracer: Tracer;
  shutdown(): Promise<void>;
}

/** A tracer when an exporter or an endpoint is configured; undefined (no spans at all) otherwise. */
/** Loads the SDK and the exporter only when tracing is configured: most gateways start without them. */
export async function createTracing(options: TracingOptions | undefined): Promise<Tracing | undefined> {
  if (!options?.exporter && !options?.endpoint) return undefined;
  const [{ BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const processor = options?.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : options?.endpoint
      ? new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` }))
      : undefined;
  if (!processor) return undefined;
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'jointgraph-gateway' }), spanProcessors: [processor] });
  return { tracer: provider.getTracer('jointgraph'), shutdown: () => provider.shutdown() };
}

const propagator = new W3CTraceContextPropagator();
type Headers = Record<string, string | string[] | undefined>;
const getter: TextMapGetter<Headers> = { keys: (carrier) => Object.keys(carrier), get: (carrier, key) => carrier[key] };
const setter: TextMapSetter<Record<string, string>> = { set: (carrier, key, value) => { carrier[key] = value; } };

/** The trace a request arrives in (its traceparent and tracestate), or none. */
export function incomingTrace(headers: Headers): Context | undefined {
  if (!headers.traceparent) return undefined;
  const context = propagator.extract(ROOT_CONTEXT, headers, getter);
  return trace.getSpanContext(context) ? context : undefined;
}

/** The headers that carry a trace on to a provider (traceparent, tracestate). */
export function traceHeaders(context: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, setter);
  return carrier;
}
