package io.tributary.broker.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.quorum.image.MetadataImage;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The metadata quorum as this node sees it:
 * <ul>
 *   <li>{@code tributary_controller_active}: 1 on the active controller, else 0 (the sum over the
 *       cluster should be 1);
 *   <li>{@code tributary_partitions_offline}: partitions without a leader, reported by the active
 *       controller only (0 elsewhere), so the cluster's sum is the count;
 *   <li>{@code tributary_raft_epoch}, {@code tributary_raft_leader}: the metadata quorum's epoch and
 *       leader (the active controller's id, -1 if unknown);
 *   <li>{@code tributary_metadata_applied_offset}: the metadata log offset this node's image has applied.
 * </ul>
 */
public final class ControllerMetrics {

    private ControllerMetrics() {
    }

    /**
     * @param active whether this node is the active controller (always false on a broker-only node)
     */
    public static void bind(NodeMetrics metrics, BooleanSupplier active, IntSupplier raftEpoch, IntSupplier raftLeader,
                            Supplier<MetadataImage> image) {
        MeterRegistry registry = metrics.registry();
        Gauge.builder("tributary.controller.active", () -> active.getAsBoolean() ? 1 : 0)
                .description("1 on the active controller, else 0").register(registry);
        Gauge.builder("tributary.partitions.offline", () -> active.getAsBoolean() ? offline(image.get()) : 0)
                .description("Partitions without a leader (reported by the active controller only)")
                .register(registry);
        Gauge.builder("tributary.raft.epoch", raftEpoch::getAsInt)
                .description("The metadata quorum's epoch as this node knows it").register(registry);
        Gauge.builder("tributary.raft.leader", raftLeader::getAsInt)
                .description("The metadata quorum's leader (the active controller), or -1").register(registry);
        Gauge.builder("tributary.metadata.applied.offset", () -> image.get().lastOffset())
                .description("The metadata log offset this node's metadata image has applied").register(registry);
    }

    private static long offline(MetadataImage image) {
        return image.topicsByName().values().stream().flatMap(t -> t.partitions().values().stream())
                .filter(p -> p.leader() < 0).count();
    }
}
