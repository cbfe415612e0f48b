package io.tributary.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The state of the replicas this broker hosts, read at each scrape:
 * <ul>
 *   <li>{@code tributary_partitions}: replicas hosted; {@code tributary_partitions_led}: of those, led;
 *   <li>{@code tributary_partitions_under_replicated}: led partitions whose ISR is smaller than their
 *       replica set; {@code tributary_partitions_under_min_isr}: led partitions with fewer in-sync
 *       replicas than their min.insync.replicas (acks=all writes fail);
 *   <li>{@code tributary_isr_shrinks_total}, {@code tributary_isr_expands_total}: committed ISR
 *       changes of partitions this node led;
 *   <li>{@code tributary_log_size_bytes}, {@code tributary_log_segments}: per hosted replica,
 *       labelled topic and partition.
 * </ul>
 */
public final class PartitionMetrics {

    private PartitionMetrics() {
    }

    public static void bind(NodeMetrics metrics, PartitionManager partitions, Supplier<MetadataImage> image) {
        MeterRegistry registry = metrics.registry();
        Gauge.builder("tributary.partitions", partitions, p -> p.hostedPartitions().size())
                .description("Partition replicas this broker hosts").register(registry);
        Gauge.builder("tributary.partitions.led", partitions, p -> count(p, partition -> true))
                .description("Partitions this broker leads").register(registry);
        Gauge.builder("tributary.partitions.under.replicated", partitions,
                        p -> count(p, partition -> partition.isr().size() < replicaCount(image.get(), partition)))
                .description("Led partitions whose ISR is smaller than their replica set").register(registry);
        Gauge.builder("tributary.partitions.under.min.isr", partitions,
                        p -> count(p, partition -> partition.isr().size() < partition.log().config().minInsyncReplicas()))
                .description("Led partitions with fewer in-sync replicas than min.insync.replicas").register(registry);
        FunctionCounter.builder("tributary.isr.shrinks", partitions, PartitionManager::isrShrinks)
                .description("Committed ISR changes that removed replicas, of partitions this broker led")
                .register(registry);
        FunctionCounter.builder("tributary.isr.expands", partitions, PartitionManager::isrExpands)
                .description("Committed ISR changes that added replicas, of partitions this broker led")
                .register(registry);
        MultiGauge logSize = MultiGauge.builder("tributary.log.size").baseUnit(BaseUnits.BYTES)
                .description("Bytes of a partition replica's log segments").register(registry);
        MultiGauge logSegments = MultiGauge.builder("tributary.log.segments")
                .description("Segments of a partition replica's log").register(registry);
        metrics.beforeScrape(() -> {
            List<Partition> hosted = partitions.hostedPartitions().stream().filter(p -> !p.isRemoved()).toList();
            logSize.register(hosted.stream().map(p -> MultiGauge.Row.of(tags(p), p, PartitionMetrics::logSize))
                    .toList(), true);
            logSegments.register(hosted.stream().map(p -> MultiGauge.Row.of(tags(p), p,
                    PartitionMetrics::logSegments)).toList(), true);
        });
    }

    private static Tags tags(Partition partition) {
        return Tags.of("topic", partition.topicPartition().topic(),
                "partition", Integer.toString(partition.topicPartition().partition()));
    }

    private static double logSize(Partition partition) {
        return partition.isOffline() ? Double.NaN : partition.log().size();
    }

    private static double logSegments(Partition partition) {
        return partition.isOffline() ? Double.NaN : partition.log().numberOfSegments();
    }

    private static double count(PartitionManager partitions, Predicate<Partition> led) {
        return partitions.hostedPartitions().stream()
                .filter(p -> p.isLeader() && !p.isRemoved() && !p.isOffline())
                .filter(led).count();
    }

    /** The partition's replica count in the metadata (0, so never under-replicated, if not there). */
    private static int replicaCount(MetadataImage image, Partition partition) {
        return image.topic(partition.topicPartition().topic()).map(TopicImage::partitions)
                .map(ps -> ps.get(partition.topicPartition().partition()))
                .map(PartitionImage::replicas).map(List::size).orElse(0);
    }
}
