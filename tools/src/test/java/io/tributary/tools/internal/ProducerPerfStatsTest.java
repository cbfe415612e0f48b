package io.tributary.tools.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.common.MockTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ProducerPerfStatsTest {

    private final MockTime time = new MockTime(1_000_000);
    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);

    @Test
    void countsEveryRecordWhenCallbacksComeFromSeveralThreads() throws InterruptedException {
        ProducerPerfStats stats = new ProducerPerfStats(40_000, 5_000, time, out);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    stats.record(1, 10, time.milliseconds());
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(40_000, stats.count());
    }

    @Test
    void printsAWindowLineEachIntervalAndKafkasFinalLine() {
        ProducerPerfStats stats = new ProducerPerfStats(4, 5_000, time, out);
        stats.record(10, 1_048_576, time.milliseconds());
        time.sleep(2_000);
        stats.record(30, 1_048_576, time.milliseconds());
        time.sleep(3_000);
        stats.record(20, 1_048_576, time.milliseconds());
        time.sleep(5_000);
        stats.record(40, 1_048_576, time.milliseconds());

        stats.printTotal();

        assertEquals("""
                3 records sent, 0.6 records/sec (0.60 MB/sec), 20.0 ms avg latency, 30.0 ms max latency.
                1 records sent, 0.2 records/sec (0.20 MB/sec), 40.0 ms avg latency, 40.0 ms max latency.
                4 records sent, 0.400000 records/sec (0.40 MB/sec), 25.00 ms avg latency, 40.00 ms max latency, \
                30 ms 50th, 40 ms 95th, 40 ms 99th, 40 ms 99.9th.
                """, text.toString().replace(System.lineSeparator(), "\n"));
        assertEquals(4, stats.count());
    }

    @Test
    void percentilesAreTakenFromEvenlySpacedSamples() {
        ProducerPerfStats stats = new ProducerPerfStats(1_000, 5_000, time, out);
        for (int latency = 1; latency <= 1_000; latency++) {
            stats.record(latency, 1, time.milliseconds());
        }

        assertArrayEquals(new int[] {501, 951, 991, 1000}, stats.percentiles(0.5, 0.95, 0.99, 0.999));
    }

    @Test
    void largeRunsKeepAtMostTheSampleLimit() {
        long records = 3L * ProducerPerfStats.MAX_SAMPLES;
        ProducerPerfStats stats = new ProducerPerfStats(records, 5_000, time, out);
        for (long i = 0; i < records; i++) {
            stats.record((int) (i % 100), 1, time.milliseconds());
        }

        assertArrayEquals(new int[] {50, 95, 98, 99}, stats.percentiles(0.5, 0.95, 0.98, 0.999));
    }

    @Test
    void aRunWithoutAcknowledgementsStillPrintsAFinalLine() {
        new ProducerPerfStats(10, 5_000, time, out).printTotal();

        assertEquals("0 records sent, 0.000000 records/sec (0.00 MB/sec), 0.00 ms avg latency, 0.00 ms max latency, "
                + "0 ms 50th, 0 ms 95th, 0 ms 99th, 0 ms 99.9th.", text.toString().strip());
    }
}
