package io.tributary.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Per-RPC meters, fed by the listeners' interceptor: {@code tributary_rpc_requests_total},
 * {@code tributary_rpc_errors_total} (status other than OK) and the {@code tributary_rpc_latency_seconds}
 * histogram, each labelled service, method and code (the gRPC status code, such as OK or CANCELLED).
 * A stream's latency is its whole life.
 */
public final class RpcMetrics {

    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;

    public RpcMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One finished call. */
    public void completed(String service, String method, String code, long durationNanos) {
        Tags tags = Tags.of("service", service, "method", method, "code", code);
        Counter.builder("tributary.rpc.requests").description("RPCs finished, by service, method and status code")
                .tags(tags).register(registry).increment();
        if (!code.equals("OK")) {
            Counter.builder("tributary.rpc.errors").description("RPCs that ended with a status other than OK")
                    .tags(tags).register(registry).increment();
        }
        Timer.builder("tributary.rpc.latency").description("RPC duration (a stream's whole life)")
                .tags(tags).serviceLevelObjectives(BUCKETS).register(registry)
                .record(durationNanos, TimeUnit.NANOSECONDS);
    }
}
