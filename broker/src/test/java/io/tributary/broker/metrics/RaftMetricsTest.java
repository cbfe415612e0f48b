package io.tributary.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.quorum.raft.RaftStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The metadata log's replication metrics, scraped over HTTP. */
@Tag("integration")
class RaftMetricsTest {

    private NodeMetrics metrics;

    @AfterEach
    void tearDown() {
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void oneScrapeReadsOneStatus() {
        // Every read of the driver's status finds a newer one: the log end and the high watermark
        // (equal in each status) only agree in a scrape if it reads a single status.
        AtomicLong published = new AtomicLong();
        metrics = NodeMetrics.start("127.0.0.1", 0);
        RaftMetrics.bind(metrics, () -> {
            long n = published.incrementAndGet();
            return new RaftStatus(1, 1, -1, n, n, n, List.of(), List.of());
        });
        for (int scrape = 0; scrape < 3; scrape++) {
            Scrape values = Scrape.of(metrics.port());
            double end = values.get("tributary_raft_log_end_offset");
            assertEquals(end, values.get("tributary_raft_high_watermark"), "one status per scrape");
            assertEquals(end, values.get("tributary_raft_elections_total"));
        }
    }
}
