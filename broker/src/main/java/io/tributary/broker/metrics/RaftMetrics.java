package io.tributary.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tributary.quorum.raft.RaftStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The metadata log's replication as this node's Raft driver last published it (never waiting for
 * the driver's thread); one scrape reads one published status, so its values agree with each other:
 * <ul>
 *   <li>{@code tributary_raft_high_watermark}, {@code tributary_raft_log_end_offset};
 *   <li>{@code tributary_raft_elections_total}: elections this node started as a candidate (won
 *       pre-vote rounds; lost pre-votes are not elections);
 *   <li>on the leader only, labelled {@code node_id} and {@code role} (voter or observer):
 *       {@code tributary_raft_replica_lag_offsets} (the leader's log end minus the replica's reported
 *       end) and {@code tributary_raft_replica_fetch_age_seconds}. Rows go when leadership does, and
 *       when the leader forgets an observer it has not heard from for 5 minutes (as Kafka's leader
 *       does); a voter's rows stay however long it is silent.
 * </ul>
 */
public final class RaftMetrics {

    private RaftMetrics() {
    }

    public static void bind(NodeMetrics metrics, Supplier<RaftStatus> status) {
        MeterRegistry registry = metrics.registry();
        // The status this scrape reads, taken once before it; each gauge reading the supplier itself
        // could pair values of two statuses (a log end below the high watermark).
        AtomicReference<RaftStatus> scraped = new AtomicReference<>(status.get());
        Gauge.builder("tributary.raft.high.watermark", () -> scraped.get().highWatermark())
                .description("Metadata log offsets below it are committed, as this node knows").register(registry);
        Gauge.builder("tributary.raft.log.end.offset", () -> scraped.get().logEndOffset())
                .description("The end of this node's metadata log").register(registry);
        FunctionCounter.builder("tributary.raft.elections", scraped, s -> s.get().electionsStarted())
                .description("Elections this node started as a candidate (after a won pre-vote)").register(registry);
        MultiGauge lag = MultiGauge.builder("tributary.raft.replica.lag.offsets")
                .description("On the metadata leader: its log end minus the replica's reported end offset")
                .register(registry);
        MultiGauge fetchAge = MultiGauge.builder("tributary.raft.replica.fetch.age").baseUnit("seconds")
                .description("On the metadata leader: how long ago the replica last fetched").register(registry);
        metrics.beforeScrape(() -> {
            RaftStatus current = status.get();
            scraped.set(current);
            List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
            List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
            if (current.isLeader()) {
                addRows(current.voters(), "voter", lagRows, ageRows);
                addRows(current.observers(), "observer", lagRows, ageRows);
            }
            lag.register(lagRows, true);
            fetchAge.register(ageRows, true);
        });
    }

    private static void addRows(List<RaftStatus.ReplicaProgress> replicas, String role,
                                List<MultiGauge.Row<?>> lagRows, List<MultiGauge.Row<?>> ageRows) {
        for (RaftStatus.ReplicaProgress replica : replicas) {
            Tags tags = Tags.of("node_id", Integer.toString(replica.nodeId()), "role", role);
            lagRows.add(MultiGauge.Row.of(tags, replica.lagOffsets()));
            ageRows.add(MultiGauge.Row.of(tags, replica.fetchAgeMs() / 1000.0));
        }
    }
}
