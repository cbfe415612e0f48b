package io.tributary.tools.internal;

import io.tributary.common.Time;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;

/**
 * Latency and throughput of a producer perf test, printed in the format of Kafka's
 * {@code kafka-producer-perf-test}: a progress line per reporting window and a final line with
 * percentiles. Latencies of at most {@value #MAX_SAMPLES} records (evenly spaced) are kept for the
 * percentiles, as Kafka does.
 *
 * <p>Threading: thread-safe. The Tributary producer completes callbacks on the transport thread of
 * the broker that answered, so records to partitions led by different brokers are counted from
 * several threads at once.
 */
public final class ProducerPerfStats {

    static final int MAX_SAMPLES = 500_000;

    private final Time time;
    private final PrintWriter out;
    private final long reportingIntervalMs;
    private final long startMs;
    private final int[] sampledLatenciesMs;
    private final long samplingInterval;
    private int samples;
    private long iteration;
    private long count;
    private long bytes;
    private long totalLatencyMs;
    private int maxLatencyMs;
    private long windowStartMs;
    private long windowCount;
    private long windowBytes;
    private long windowTotalLatencyMs;
    private int windowMaxLatencyMs;

    public ProducerPerfStats(long expectedRecords, long reportingIntervalMs, Time time, PrintWriter out) {
        if (expectedRecords <= 0) {
            throw new IllegalArgumentException("expectedRecords must be positive: " + expectedRecords);
        }
        this.time = time;
        this.out = out;
        this.reportingIntervalMs = reportingIntervalMs;
        this.startMs = time.milliseconds();
        this.windowStartMs = startMs;
        this.samplingInterval = expectedRecords / Math.min(expectedRecords, MAX_SAMPLES);
        this.sampledLatenciesMs = new int[(int) (expectedRecords / samplingInterval) + 1];
    }

    /** Counts one acknowledged record; prints the window's line when the reporting interval has passed. */
    public synchronized void record(int latencyMs, int recordBytes, long nowMs) {
        count++;
        bytes += recordBytes;
        totalLatencyMs += latencyMs;
        maxLatencyMs = Math.max(maxLatencyMs, latencyMs);
        windowCount++;
        windowBytes += recordBytes;
        windowTotalLatencyMs += latencyMs;
        windowMaxLatencyMs = Math.max(windowMaxLatencyMs, latencyMs);
        if (iteration % samplingInterval == 0 && samples < sampledLatenciesMs.length) {
            sampledLatenciesMs[samples++] = latencyMs;
        }
        iteration++;
        if (nowMs - windowStartMs >= reportingIntervalMs) {
            printWindow(nowMs);
            windowStartMs = nowMs;
            windowCount = 0;
            windowBytes = 0;
            windowTotalLatencyMs = 0;
            windowMaxLatencyMs = 0;
        }
    }

    /** Records acknowledged so far. */
    public synchronized long count() {
        return count;
    }

    private void printWindow(long nowMs) {
        long elapsedMs = Math.max(1, nowMs - windowStartMs);
        out.printf(Locale.ROOT, "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.%n",
                windowCount, 1000.0 * windowCount / elapsedMs, megabytesPerSecond(windowBytes, elapsedMs),
                windowTotalLatencyMs / (double) windowCount, (double) windowMaxLatencyMs);
        out.flush();
    }

    /** Prints the summary line, in exactly the format of Kafka's final line. */
    public synchronized void printTotal() {
        long elapsedMs = Math.max(1, time.milliseconds() - startMs);
        int[] percentiles = percentiles(0.5, 0.95, 0.99, 0.999);
        out.printf(Locale.ROOT, "%d records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, "
                        + "%d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.%n",
                count, 1000.0 * count / elapsedMs, megabytesPerSecond(bytes, elapsedMs),
                count == 0 ? 0.0 : totalLatencyMs / (double) count, (double) maxLatencyMs,
                percentiles[0], percentiles[1], percentiles[2], percentiles[3]);
        out.flush();
    }

    private static double megabytesPerSecond(long bytes, long elapsedMs) {
        return 1000.0 * bytes / elapsedMs / (1024.0 * 1024.0);
    }

    /** The latency at each quantile of the kept samples (0 when there are none). */
    int[] percentiles(double... quantiles) {
        int[] sorted = Arrays.copyOf(sampledLatenciesMs, samples);
        Arrays.sort(sorted);
        int[] values = new int[quantiles.length];
        for (int i = 0; i < quantiles.length; i++) {
            values[i] = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (quantiles[i] * sorted.length))];
        }
        return values;
    }
}
