package io.tributary.broker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's metrics: one Prometheus registry (every meter named {@code tributary_*}; JVM meters get
 * the prefix too) served as Prometheus text at {@code http://host:port/metrics} by the JDK's HTTP
 * server. The binders in this package read the node's state from outside; the state machines they
 * read know nothing of metrics.
 */
public final class NodeMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);
    public static final String PATH = "/metrics";
    static final String PREFIX = "tributary.";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeWith = new CopyOnWriteArrayList<>();
    private final JvmGcMetrics gcMetrics;
    private final ExecutorService httpThread;
    private final HttpServer server;

    private NodeMetrics(String host, int port) {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
            }
        });
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            gcMetrics.close();
            registry.close();
            throw new UncheckedIOException("cannot serve metrics on " + (host.isEmpty() ? "*" : host) + ":" + port
                    + " (metrics.host, metrics.port): " + e.getMessage(), e);
        }
        server.createContext(PATH, this::serve);
        httpThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("metrics-http").daemon().factory());
        server.setExecutor(httpThread);
        server.start();
    }

    /**
     * Binds the JVM meters and starts serving them.
     *
     * @param host the interface to bind; empty binds every interface
     * @param port 0 picks a free port (see {@link #port()})
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static NodeMetrics start(String host, int port) {
        return new NodeMetrics(host, port);
    }

    /** Where the node's binders register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Runs {@code refresh} before every scrape (meters whose set changes, such as one per partition). */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** Closes {@code resource} (a binder's thread or connections) when the metrics close. */
    public void closeWith(AutoCloseable resource) {
        closeWith.add(resource);
    }

    /** The port the endpoint is bound to. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Every meter in Prometheus text format, as the endpoint serves it. */
    public String scrape() {
        for (Runnable refresh : beforeScrape) {
            try {
                refresh.run();
            } catch (RuntimeException e) {
                log.warn("Refreshing metrics failed", e);
            }
        }
        return registry.scrape();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops serving and releases the JVM listeners. */
    @Override
    public void close() {
        server.stop(0);
        for (AutoCloseable resource : closeWith) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Closing a metrics binder failed", e);
            }
        }
        httpThread.shutdownNow();
        gcMetrics.close();
        registry.close();
    }
}
