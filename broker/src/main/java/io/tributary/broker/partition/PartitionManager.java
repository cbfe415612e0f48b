package io.tributary.broker.partition;

import io.tributary.quorum.image.DynamicBrokerConfigs;
import io.tributary.quorum.image.MetadataDelta;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataPublisher;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns metadata into local partitions: creates a log and a {@link Partition} for every partition
 * this node replicates, makes each the leader or a follower as the controller decided (followers
 * fetch from their leader), applies topic and dynamic broker config changes, and deletes the data of deleted topics.
 * Also routes partition events to the purgatories, and shrinks the ISR of led partitions whose
 * followers lag.
 *
 * <p>{@link #onMetadataUpdate} runs on the metadata loader's thread; {@link #partition} may be
 * called from any thread.
 */
public final class PartitionManager implements MetadataPublisher, PartitionListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionManager.class);

    private final int nodeId;
    private final LogManager logManager;
    private final Map<String, String> topicConfigDefaults;
    private final boolean flushOnCommit;
    private final LogFlusher flusher;
    private final List<DelayedOperationPurgatory> purgatories;
    private final DelayedOperationPurgatory replicaPurgatory;
    private final Time time;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final AtomicLong isrShrinks = new AtomicLong();
    private final AtomicLong isrExpands = new AtomicLong();
    private volatile ReplicaRoles roles;
    private MetadataImage latestImage = MetadataImage.EMPTY;
    private boolean hosting;

    /**
     * @param purgatories woken when a partition's high watermark moves (or it fails, is removed or
     *     changes role)
     * @param replicaPurgatory woken by those events and by every append (followers wait for data)
     */
    public PartitionManager(int nodeId, LogManager logManager, Map<String, String> topicConfigDefaults,
                            boolean flushOnCommit, LogFlusher flusher, List<DelayedOperationPurgatory> purgatories,
                            DelayedOperationPurgatory replicaPurgatory, Time time) {
        this.nodeId = nodeId;
        this.logManager = logManager;
        this.topicConfigDefaults = Map.copyOf(topicConfigDefaults);
        this.flushOnCommit = flushOnCommit;
        this.flusher = flusher;
        this.purgatories = List.copyOf(purgatories);
        this.replicaPurgatory = replicaPurgatory;
        this.time = time;
    }

    /** Connects replication; must be called before the first metadata update. */
    public void setReplicaRoles(ReplicaRoles replicaRoles) {
        this.roles = replicaRoles;
    }

    @Override
    public String name() {
        return "partition-manager";
    }

    @Override
    public synchronized void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        latestImage = newImage;
        if (!hosting) {
            return;
        }
        for (TopicImage deleted : delta.deletedTopics().values()) {
            removeTopic(deleted);
        }
        for (String changed : delta.changedTopics()) {
            newImage.topic(changed).ifPresent(this::applyTopic);
        }
        if (delta.brokerConfigsChanged()) {
            applyBrokerConfigs(newImage);
        }
    }

    /** Dynamic broker configs changed: every hosted partition gets its new effective config, at once. */
    private void applyBrokerConfigs(MetadataImage image) {
        Map<String, LogConfig> configsByTopic = new HashMap<>(); // the same config for every partition of a topic
        for (Partition partition : partitions.values()) {
            TopicPartition tp = partition.topicPartition();
            TopicImage topic = image.topic(tp.topic()).orElse(null);
            if (topic == null) {
                continue;
            }
            try {
                LogConfig config = configsByTopic.computeIfAbsent(tp.topic(),
                        name -> configFor(topicConfigDefaults, image, nodeId, topic));
                if (!partition.log().config().equals(config)) {
                    partition.log().updateConfig(config);
                    log.info("Updated config of partition {} (dynamic broker config)", tp);
                }
            } catch (RuntimeException e) {
                log.error("Could not apply the dynamic broker configs to partition {}: {}", tp, e.getMessage(), e);
            }
        }
    }

    /**
     * Starts hosting partitions: deletes the logs the latest image no longer has (topics deleted, or
     * deleted and recreated, while the node was down), then creates this node's replicas and gives
     * them the roles the metadata gives them, and follows every later image. Called once the node has
     * replayed the metadata up to its registration, so no role from an older image (a leadership long
     * moved elsewhere) is ever taken. One lock covers it all, so no metadata update falls in between.
     */
    public synchronized void startHosting() {
        deleteStrayLogs();
        hosting = true;
        latestImage.topicsByName().values().forEach(this::applyTopic);
    }

    /**
     * Deletes logs that belong to no topic in the latest metadata image handed to this manager (a
     * topic deleted while the node was down, or a crash half-way through a deletion).
     */
    private void deleteStrayLogs() {
        MetadataImage image = latestImage;
        for (Log stray : logManager.allLogs()) {
            TopicPartition tp = stray.topicPartition();
            if (partitions.containsKey(tp)) {
                // A served partition is in the metadata by definition, even if a crash during its
                // creation left its partition.metadata unwritten.
                continue;
            }
            String onDiskId = logManager.topicId(tp).orElse(null);
            boolean known = image.topic(tp.topic())
                    .map(t -> t.partitions().containsKey(tp.partition()) && t.topicId().equals(onDiskId))
                    .orElse(false);
            if (!known) {
                log.info("Deleting stray log {} (topic id {}): no such partition of that topic in the metadata", tp,
                        onDiskId);
                logManager.deleteLog(tp);
            }
        }
    }

    private void applyTopic(TopicImage topic) {
        LogConfig config = configFor(topicConfigDefaults, latestImage, nodeId, topic);
        for (PartitionImage image : topic.partitions().values()) {
            if (!image.replicas().contains(nodeId)) {
                continue;
            }
            TopicPartition tp = new TopicPartition(topic.name(), image.partition());
            try {
                applyPartition(topic, image, tp, config);
            } catch (RuntimeException e) {
                // One partition's storage failure (an offline directory, a leftover log of an older
                // topic of that name) must not stop the node from following the metadata.
                log.error("Partition {} cannot be hosted on this node: {}", tp, e.getMessage(), e);
            }
        }
    }

    private void applyPartition(TopicImage topic, PartitionImage image, TopicPartition tp, LogConfig config) {
        Partition partition = partitions.get(tp);
        if (partition == null) {
            Log partitionLog = logManager.getOrCreateLog(tp, topic.topicId(), config);
            if (!partitionLog.config().equals(config)) {
                partitionLog.updateConfig(config);
            }
            partition = new Partition(tp, topic.topicId(), partitionLog, nodeId, flushOnCommit, flusher, this);
            partitions.put(tp, partition);
            log.info("Hosting partition {} (topic id {}), log end offset {}", tp, topic.topicId(),
                    partitionLog.logEndOffset());
        } else if (!partition.log().config().equals(config)) {
            partition.log().updateConfig(config);
            log.info("Updated config of partition {}", tp);
        }
        applyRole(partition, image);
    }

    private void applyRole(Partition partition, PartitionImage image) {
        TopicPartition tp = partition.topicPartition();
        boolean wasLeaderAt = partition.isLeaderAt(image.leaderEpoch());
        int previousEpoch = partition.leaderEpoch();
        if (image.leader() == nodeId) {
            roles.unfollow(tp);
            partition.makeLeader(image.leaderEpoch(), image.replicas(), image.isr(), image.partitionEpoch(),
                    time.milliseconds());
        } else {
            partition.makeFollower(image.leader(), image.leaderEpoch(), image.isr());
            if (image.leader() >= 0) {
                roles.follow(partition, image.leader(), image.leaderEpoch());
            } else {
                roles.unfollow(tp);
            }
        }
        if (!wasLeaderAt && previousEpoch != image.leaderEpoch()) {
            log.info("Partition {}: {} at leader epoch {} (leader {}, ISR {}, log end offset {})", tp,
                    image.leader() == nodeId ? "leading" : "following", image.leaderEpoch(), image.leader(),
                    image.isr(), partition.logEndOffset());
        }
    }

    /**
     * Asks every led partition whether followers lagged more than {@code lagTimeMaxMs} and sends the
     * resulting ISR shrinks to the controller. Called periodically.
     */
    public void maybeShrinkIsrs(long lagTimeMaxMs) {
        long nowMs = time.milliseconds();
        for (Partition partition : partitions.values()) {
            try {
                partition.maybeShrinkIsr(nowMs, lagTimeMaxMs).ifPresent(change -> roles.submitIsrChange(partition, change));
            } catch (RuntimeException e) {
                log.error("ISR check of {} failed", partition.topicPartition(), e);
            }
        }
    }

    /**
     * Stops serving every partition of the topic first, so none is left serving if deleting a log
     * fails; then deletes the logs one by one. A log that cannot be deleted now is logged and left
     * to the stray-log sweep at the next start.
     */
    private void removeTopic(TopicImage topic) {
        List<Partition> removed = new ArrayList<>();
        for (Integer p : topic.partitions().keySet()) {
            TopicPartition tp = new TopicPartition(topic.name(), p);
            Partition partition = partitions.remove(tp);
            if (partition != null) {
                roles.unfollow(tp);
                partition.markRemoved();
                removed.add(partition);
            }
        }
        for (Partition partition : removed) {
            try {
                logManager.deleteLog(partition.topicPartition());
            } catch (RuntimeException e) {
                log.error("Could not delete the log of {}; it will be removed as a stray log at the next start",
                        partition.topicPartition(), e);
            }
        }
        log.info("Deleted topic {} ({} partitions)", topic.name(), topic.partitions().size());
    }

    /**
     * The topic's effective log config on node {@code nodeId}: the static broker defaults, overlaid
     * with the dynamic cluster-wide and per-broker defaults of {@code image}, then with the topic's
     * own configs.
     */
    public static LogConfig configFor(Map<String, String> topicConfigDefaults, MetadataImage image, int nodeId,
                                      TopicImage topic) {
        return LogConfig.fromProperties(DynamicBrokerConfigs.effectiveTopicConfig(topicConfigDefaults, image, nodeId,
                topic));
    }

    /**
     * The local partition for {@code tp}.
     *
     * @throws UnknownTopicOrPartitionException when the topic or partition does not exist
     * @throws NotLeaderOrFollowerException when it exists but this node does not lead it
     */
    public Partition partition(TopicPartition tp, MetadataImage image) {
        PartitionImage state = image.topic(tp.topic()).map(t -> t.partitions().get(tp.partition())).orElse(null);
        Partition partition = partitions.get(tp);
        if (state == null && partition == null) {
            throw new UnknownTopicOrPartitionException("partition " + tp + " does not exist");
        }
        if (partition == null || state == null || state.leader() != nodeId || !partition.isLeader()) {
            String leader = state == null || state.leader() < 0 ? "no leader" : "node " + state.leader();
            throw new NotLeaderOrFollowerException("this node (" + nodeId + ") does not lead partition " + tp
                    + " (" + leader + ")");
        }
        return partition;
    }

    /** The local partition, if this node hosts it. */
    public Partition partitionOrNull(TopicPartition tp) {
        return partitions.get(tp);
    }

    @Override
    public void onHighWatermarkAdvanced(Partition partition) {
        for (DelayedOperationPurgatory purgatory : purgatories) {
            purgatory.checkAndComplete(partition.topicPartition());
        }
        replicaPurgatory.checkAndComplete(partition.topicPartition());
    }

    /**
     * Counts a led partition's ISR change: a shrink when members left, an expansion when some joined
     * (or both).
     */
    @Override
    public void onIsrChanged(Partition partition, List<Integer> previous, List<Integer> current) {
        if (!current.containsAll(previous)) {
            isrShrinks.incrementAndGet();
        }
        if (!previous.containsAll(current)) {
            isrExpands.incrementAndGet();
        }
    }

    /** How many times a partition this node led lost in-sync replicas, since start-up. */
    public long isrShrinks() {
        return isrShrinks.get();
    }

    /** How many times a partition this node led gained in-sync replicas, since start-up. */
    public long isrExpands() {
        return isrExpands.get();
    }

    /** The replicas this node hosts now (a live view; any thread). */
    public Collection<Partition> hostedPartitions() {
        return Collections.unmodifiableCollection(partitions.values());
    }

    /**
     * Writes the log-start-offset checkpoints of the partitions' directories (a failure takes the
     * directory offline), so a follower's deleted prefix stays deleted after a crash: it reports
     * the new log start offsets only after this.
     */
    @Override
    public void onLogStartOffsetIncremented(Collection<TopicPartition> moved) {
        logManager.checkpointLogStartOffsets(moved);
    }

    @Override
    public void onLogAppended(Partition partition) {
        replicaPurgatory.checkAndComplete(partition.topicPartition());
    }
}
