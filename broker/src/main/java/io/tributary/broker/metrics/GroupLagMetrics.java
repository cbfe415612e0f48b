package io.tributary.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tributary.broker.group.CoordinatedGroup;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer-group lag, exported by the broker that coordinates each group:
 * <ul>
 *   <li>{@code tributary_consumer_group_committed_offset{group,topic,partition}}: the committed offset;
 *   <li>{@code tributary_consumer_group_lag{group,topic,partition}}: the partition's end offset (its
 *       high watermark, kafka-consumer-groups' LOG-END-OFFSET) minus the committed offset, at least 0;
 *       absent while that end offset is unknown;
 *   <li>{@code tributary_consumer_group_members{group}}: the group's members.
 * </ul>
 * Groups and offsets come from the coordinator's published snapshots at each scrape, so rows go as
 * soon as a group, its commit or its coordination here does. The end offset of a partition this
 * broker leads is read at the scrape; those led elsewhere are asked of their leaders by a background
 * refresh every {@code metrics.group.lag.refresh.ms}, never on the scrape thread. Each refresh keeps
 * every answer that arrived within half the interval (a leader that does not answer delays no other
 * leader's partitions); a partition whose leader does not answer keeps its last known end offset for
 * {@value #END_OFFSET_TTL_REFRESHES} refresh intervals, then its lag row goes until an answer comes.
 */
public final class GroupLagMetrics implements AutoCloseable {

    /** Asks partition leaders for end offsets (the transport lives outside this package). */
    public interface RemoteEndOffsets {
        /**
         * The high watermark of each of {@code partitions}, asked of their leaders; completes within
         * about {@code timeoutMs}, leaving out the partitions whose leader is unknown, fails or has not
         * answered by then.
         */
        CompletableFuture<Map<TopicPartition, Long>> highWatermarks(Set<TopicPartition> partitions, long timeoutMs);
    }

    /** A remote end offset and when (monotonic ms) its leader gave it. */
    private record EndOffset(long offset, long answeredMs) {
    }

    /** How many refresh intervals a remote end offset is used without a new answer. */
    static final int END_OFFSET_TTL_REFRESHES = 3;

    private static final Logger log = LoggerFactory.getLogger(GroupLagMetrics.class);

    private final Supplier<List<CoordinatedGroup>> groups;
    private final Function<TopicPartition, OptionalLong> localHighWatermark;
    private final RemoteEndOffsets remote;
    private final long refreshMs;
    private final Time time;
    private final ScheduledExecutorService refresher;
    private volatile Map<TopicPartition, EndOffset> remoteEnds = Map.of();

    /**
     * @param localHighWatermark the high watermark of a partition this broker leads, else empty
     * @param refreshMs          how often the end offsets of partitions led elsewhere are refreshed
     */
    GroupLagMetrics(Supplier<List<CoordinatedGroup>> groups, Function<TopicPartition, OptionalLong> localHighWatermark,
                    RemoteEndOffsets remote, long refreshMs, Time time) {
        this.groups = groups;
        this.localHighWatermark = localHighWatermark;
        this.remote = remote;
        this.refreshMs = refreshMs;
        this.time = time;
        this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("group-lag-refresh")
                .daemon().factory());
    }

    /**
     * Registers the meters and starts the background refresh; closing {@code metrics} stops it.
     *
     * @param refreshMs how often the end offsets of partitions led elsewhere are refreshed
     */
    public static GroupLagMetrics bind(NodeMetrics metrics, Supplier<List<CoordinatedGroup>> groups,
                                       PartitionManager partitions, RemoteEndOffsets remote, long refreshMs) {
        GroupLagMetrics lag = new GroupLagMetrics(groups, tp -> localHighWatermark(partitions, tp), remote, refreshMs,
                Time.SYSTEM);
        lag.register(metrics);
        lag.refresher.scheduleWithFixedDelay(lag::refreshRemoteEnds, 0, refreshMs, TimeUnit.MILLISECONDS);
        return lag;
    }

    /** Registers the meters, refreshed at each scrape of {@code metrics}; closing {@code metrics} closes this. */
    void register(NodeMetrics metrics) {
        MeterRegistry registry = metrics.registry();
        MultiGauge committed = MultiGauge.builder("tributary.consumer.group.committed.offset")
                .description("A consumer group's committed offset (on its coordinator)").register(registry);
        MultiGauge lagGauge = MultiGauge.builder("tributary.consumer.group.lag")
                .description("A partition's end offset (high watermark) minus the group's committed offset")
                .register(registry);
        MultiGauge members = MultiGauge.builder("tributary.consumer.group.members")
                .description("A consumer group's members (on its coordinator)").register(registry);
        metrics.beforeScrape(() -> refreshRows(committed, lagGauge, members));
        metrics.closeWith(this);
    }

    private void refreshRows(MultiGauge committed, MultiGauge lagGauge, MultiGauge members) {
        List<MultiGauge.Row<?>> committedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> memberRows = new ArrayList<>();
        Map<TopicPartition, EndOffset> remoteNow = remoteEnds;
        long nowMs = time.hiResMilliseconds();
        for (CoordinatedGroup group : groups.get()) {
            memberRows.add(MultiGauge.Row.of(Tags.of("group", group.groupId()), group.members()));
            group.committedOffsets().forEach((tp, offset) -> {
                Tags tags = Tags.of("group", group.groupId(), "topic", tp.topic(),
                        "partition", Integer.toString(tp.partition()));
                committedRows.add(MultiGauge.Row.of(tags, offset));
                OptionalLong end = localHighWatermark.apply(tp);
                if (end.isEmpty()) {
                    end = fresh(remoteNow.get(tp), nowMs);
                }
                if (end.isPresent()) {
                    lagRows.add(MultiGauge.Row.of(tags, Math.max(0, end.getAsLong() - offset)));
                }
            });
        }
        committed.register(committedRows, true);
        lagGauge.register(lagRows, true);
        members.register(memberRows, true);
    }

    /** A remote end offset unless it is missing or too old to use. */
    private OptionalLong fresh(EndOffset end, long nowMs) {
        return end != null && nowMs - end.answeredMs() < END_OFFSET_TTL_REFRESHES * refreshMs
                ? OptionalLong.of(end.offset()) : OptionalLong.empty();
    }

    /** The high watermark if this broker leads {@code tp}. */
    private static OptionalLong localHighWatermark(PartitionManager partitions, TopicPartition tp) {
        Partition partition = partitions.partitionOrNull(tp);
        return partition != null && partition.isLeader() && !partition.isRemoved() && !partition.isOffline()
                ? OptionalLong.of(partition.highWatermark()) : OptionalLong.empty();
    }

    /**
     * One refresh (on the refresher's thread): asks the leaders of the committed partitions led
     * elsewhere, waiting at most half the interval, and keeps every answer that came; an end offset
     * older than {@value #END_OFFSET_TTL_REFRESHES} intervals is dropped.
     */
    void refreshRemoteEnds() {
        try {
            Set<TopicPartition> wanted = new HashSet<>();
            for (CoordinatedGroup group : groups.get()) {
                group.committedOffsets().keySet().stream().filter(tp -> localHighWatermark.apply(tp).isEmpty())
                        .forEach(wanted::add);
            }
            long waitMs = Math.max(1, refreshMs / 2);
            Map<TopicPartition, Long> answers = wanted.isEmpty() ? Map.of()
                    : remote.highWatermarks(wanted, waitMs).completeOnTimeout(Map.of(), refreshMs, TimeUnit.MILLISECONDS)
                            .get();
            long nowMs = time.hiResMilliseconds();
            Map<TopicPartition, EndOffset> next = new HashMap<>();
            Map<TopicPartition, EndOffset> previous = remoteEnds;
            for (TopicPartition tp : wanted) {
                Long answer = answers.get(tp);
                EndOffset end = answer != null ? new EndOffset(answer, nowMs) : previous.get(tp);
                if (fresh(end, nowMs).isPresent()) {
                    next.put(tp, end);
                }
            }
            remoteEnds = Map.copyOf(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            log.debug("Refreshing the end offsets for consumer-group lag failed: {}", e.toString());
        }
    }

    /** Stops the background refresh. */
    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
