import type { Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** The name every span of this service is created under (`trace.getTracer(TRACER_NAME)`). */
export const TRACER_NAME = 'tenant-provisioning';
const SERVICE_NAME = 'tenant-provisioning-api';

/**
 * Forwards spans to processors added after the provider was registered: the OTel SDK takes its
 * processors in the constructor only, and tests attach an in-memory exporter later.
 */
class AttachableSpanProcessor implements SpanProcessor {
  private readonly processors = new Set<SpanProcessor>();

  add(processor: SpanProcessor): () => Promise<void> {
    this.processors.add(processor);
    return async () => {
      this.processors.delete(processor);
      await processor.shutdown();
    };
  }

  onStart(span: Span, parentContext: Context): void {
    for (const processor of this.processors) processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    for (const processor of this.processors) processor.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.processors].map((processor) => processor.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.processors].map((processor) => processor.shutdown()));
  }
}

export interface Tracing {
  /** Exports every span ended from now on to `exporter`, synchronously; returns the detach. */
  attachExporter(exporter: SpanExporter): () => Promise<void>;
  /** Sends what is buffered (the OTLP exporter batches). */
  flush(): Promise<void>;
}

let installed: Tracing | null = null;

/**
 * Registers the OpenTelemetry tracer provider and the async context manager, once per process:
 * both are process-wide globals, and tests start several services in one process. Spans are
 * exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT (or its _TRACES_ variant) is
 * set; the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
 */
export function installTracing(env: NodeJS.ProcessEnv = process.env): Tracing {
  if (installed) return installed;
  const processors = new AttachableSpanProcessor();
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    processors.add(new BatchSpanProcessor(new OTLPTraceExporter()));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? SERVICE_NAME,
      [ATTR_SERVICE_VERSION]: env.npm_package_version ?? 'unknown',
    }),
    spanProcessors: [processors],
  });
  provider.register();
  installed = {
    attachExporter: (exporter) => processors.add(new SimpleSpanProcessor(exporter)),
    flush: () => processors.forceFlush(),
  };
  return installed;
}
