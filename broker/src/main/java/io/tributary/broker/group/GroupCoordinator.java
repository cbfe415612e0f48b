package io.tributary.broker.group;

import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.Partition;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.NotCoordinatorException;
import io.tributary.proto.v1.BrokerEndpoint;
import io.tributary.proto.v1.Coordinator;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataDelta;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataPublisher;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's group coordinator: one {@link CoordinatorShardDriver} per __consumer_offsets
 * partition this broker leads, started (loading the partition) when leadership arrives and stopped
 * when it leaves; routes each group to its partition's shard; answers FindCoordinator, creating
 * the topic on first use. {@link #onMetadataUpdate} runs on the metadata thread after the partition
 * manager has applied the same image, so a partition led in the image is already led locally.
 */
public final class GroupCoordinator implements MetadataPublisher, AutoCloseable {

    public static final String OFFSETS_TOPIC = "__consumer_offsets";
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);
    private static final long TICK_INTERVAL_MS = 100;
    /** One coordinator write is one batch; a large group's assignment must fit (requests are at most 64 MiB). */
    private static final int OFFSETS_TOPIC_MAX_MESSAGE_BYTES = 128 << 20;

    private final int nodeId;
    private final GroupCoordinatorConfig config;
    private final Function<TopicPartition, Partition> localPartitions;
    private final Supplier<MetadataImage> images;
    private final Function<CreateTopicsRequest, CompletableFuture<CreateTopicsResponse>> createTopics;
    private final DelayedOperationPurgatory purgatory;
    private final Time time;
    private final long writeTimeoutMs;
    private final Map<Integer, CoordinatorShardDriver> drivers = new ConcurrentHashMap<>();
    private final AtomicBoolean creatingTopic = new AtomicBoolean();
    private final TopicsCache topics;
    private ScheduledExecutorService ticker;
    private boolean started;
    /** Whether shards publish their groups for {@link #coordinatedGroups()}; see {@link #publishGroups()}. */
    private boolean publishGroups;

    public GroupCoordinator(int nodeId, GroupCoordinatorConfig config, Function<TopicPartition, Partition> localPartitions,
                            Supplier<MetadataImage> images,
                            Function<CreateTopicsRequest, CompletableFuture<CreateTopicsResponse>> createTopics,
                            DelayedOperationPurgatory purgatory, Time time, long writeTimeoutMs) {
        this.nodeId = nodeId;
        this.config = config;
        this.localPartitions = localPartitions;
        this.images = images;
        this.createTopics = createTopics;
        this.purgatory = purgatory;
        this.time = time;
        this.writeTimeoutMs = writeTimeoutMs;
        this.topics = new TopicsCache(images);
    }

    @Override
    public String name() {
        return "group-coordinator";
    }

    /**
     * Makes the shards publish their groups for {@link #coordinatedGroups()} (the group lag metrics
     * read them); without it they neither track changed groups nor copy them, and it stays empty.
     * Call before {@link #start()}: shards started earlier do not publish.
     */
    public synchronized void publishGroups() {
        publishGroups = true;
    }

    /** Starts coordinating the partitions this broker leads (called once it hosts partitions). */
    public synchronized void start() {
        started = true;
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("group-coordinator-ticks")
                .daemon().factory());
        ticker.scheduleWithFixedDelay(() -> drivers.values().forEach(CoordinatorShardDriver::tick),
                TICK_INTERVAL_MS, TICK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        applyLeadership(images.get());
    }

    @Override
    public synchronized void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        if (started) {
            applyLeadership(newImage);
        }
    }

    private void applyLeadership(MetadataImage image) {
        TopicImage topic = image.topic(OFFSETS_TOPIC).orElse(null);
        for (Map.Entry<Integer, CoordinatorShardDriver> entry : Map.copyOf(drivers).entrySet()) {
            PartitionImage state = topic == null ? null : topic.partitions().get(entry.getKey());
            Partition local = localPartitions.apply(entry.getValue().topicPartition());
            if (state == null || state.leader() != nodeId || state.leaderEpoch() != entry.getValue().leaderEpoch()
                    || local != entry.getValue().partition()) {
                drivers.remove(entry.getKey()).close();
                log.info("Stopped coordinating the groups of {}-{}", OFFSETS_TOPIC, entry.getKey());
            }
        }
        if (topic == null) {
            return;
        }
        for (PartitionImage state : topic.partitions().values()) {
            Partition local = localPartitions.apply(new TopicPartition(OFFSETS_TOPIC, state.partition()));
            if (state.leader() == nodeId && local != null && local.isLeaderAt(state.leaderEpoch())
                    && !drivers.containsKey(state.partition())) {
                CoordinatorShardDriver driver = new CoordinatorShardDriver(local, state.leaderEpoch(), config, purgatory,
                        topics::get, time, writeTimeoutMs, publishGroups);
                drivers.put(state.partition(), driver);
                driver.start();
            }
        }
    }

    /** The coordinator of {@code groupId}, creating __consumer_offsets when it does not exist yet. */
    public Coordinator findCoordinator(String groupId) {
        Coordinator.Builder answer = Coordinator.newBuilder().setGroupId(groupId);
        try {
            GroupRequests.checkGroupId(groupId);
        } catch (ApiException e) {
            return answer.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage()).build();
        }
        MetadataImage image = images.get();
        TopicImage topic = image.topic(OFFSETS_TOPIC).orElse(null);
        if (topic == null) {
            maybeCreateOffsetsTopic(image);
            return notAvailable(answer, OFFSETS_TOPIC + " is being created");
        }
        int partition = partitionFor(groupId, topic.partitions().size());
        PartitionImage state = topic.partitions().get(partition);
        BrokerImage leader = state == null ? null : image.brokers().get(state.leader());
        if (leader == null) {
            return notAvailable(answer, "partition " + partition + " of " + OFFSETS_TOPIC + " has no leader");
        }
        return answer.setErrorCode(ErrorCode.ERROR_CODE_NONE).setNode(BrokerEndpoint.newBuilder()
                .setNodeId(leader.id()).setHost(leader.host()).setPort(leader.port()).setRack(leader.rack())).build();
    }

    /** Kafka's mapping: the group id's String hash, made non-negative, modulo the partition count. */
    static int partitionFor(String groupId, int partitions) {
        int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitions;
    }

    /**
     * Runs an operation on the shard coordinating {@code groupId}; without one here, answers
     * {@code onError}'s NOT_COORDINATOR answer.
     */
    public <T> CompletableFuture<T> submit(String groupId, Function<GroupCoordinatorShard, CoordinatorResult<T>> operation,
                                           Function<ApiException, T> onError) {
        CoordinatorShardDriver driver = driverFor(groupId).orElse(null);
        if (driver == null) {
            return CompletableFuture.completedFuture(onError.apply(new NotCoordinatorException("node " + nodeId
                    + " is not the coordinator of group '" + groupId + "'")));
        }
        return driver.submit(operation, onError);
    }

    /** Runs an operation on every shard of this node (ListGroups). */
    public <T> List<CompletableFuture<T>> submitToAll(Function<GroupCoordinatorShard, CoordinatorResult<T>> operation,
                                                      Function<ApiException, T> onError) {
        return drivers.values().stream().map(driver -> driver.submit(operation, onError)).toList();
    }

    /** The cluster's topics that groups can subscribe to: name to partition count. */
    public Map<String, Integer> topics() {
        return topics.get();
    }

    public int nodeId() {
        return nodeId;
    }

    /**
     * The groups of every __consumer_offsets partition this broker leads, as their shards last
     * published them (any thread; never waits for a shard). A group goes when it or its coordination
     * here does. Empty unless {@link #publishGroups()} was called.
     */
    public List<CoordinatedGroup> coordinatedGroups() {
        return drivers.values().stream().flatMap(driver -> driver.publishedGroups().stream()).toList();
    }

    private Optional<CoordinatorShardDriver> driverFor(String groupId) {
        return images.get().topic(OFFSETS_TOPIC)
                .map(topic -> drivers.get(partitionFor(groupId, topic.partitions().size())));
    }

    private void maybeCreateOffsetsTopic(MetadataImage image) {
        if (!creatingTopic.compareAndSet(false, true)) {
            return;
        }
        // Fewer replicas only when the cluster has fewer brokers (a single dev node), never because
        // some are down: the controller refuses a factor above the live brokers, and this retries.
        int replicationFactor = Math.min(config.offsetsTopicReplicationFactor(), image.brokers().size());
        if (replicationFactor < config.offsetsTopicReplicationFactor()) {
            log.warn("Creating {} with replication factor {}: {} is {} but the cluster has {} broker(s)",
                    OFFSETS_TOPIC, replicationFactor, GroupCoordinatorConfig.OFFSETS_TOPIC_REPLICATION_FACTOR,
                    config.offsetsTopicReplicationFactor(), image.brokers().size());
        }
        CreateTopicsRequest request = CreateTopicsRequest.newBuilder().setInternal(true)
                .addTopics(NewTopic.newBuilder().setName(OFFSETS_TOPIC).setNumPartitions(config.offsetsTopicPartitions())
                        .setReplicationFactor(Math.max(1, replicationFactor)).putConfigs("cleanup.policy", "compact")
                        .putConfigs("max.message.bytes", String.valueOf(OFFSETS_TOPIC_MAX_MESSAGE_BYTES)))
                .build();
        createTopics.apply(request).whenComplete((response, error) -> {
            creatingTopic.set(false);
            if (error != null) {
                log.warn("Could not create {}: {}", OFFSETS_TOPIC, error.getMessage());
            } else {
                log.info("Created {}: {}", OFFSETS_TOPIC, response.getTopics(0).getErrorCode());
            }
        });
    }

    private static Coordinator notAvailable(Coordinator.Builder answer, String why) {
        return answer.setErrorCode(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE)
                .setErrorMessage("no coordinator is available yet: " + why).build();
    }

    @Override
    public synchronized void close() {
        started = false;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        drivers.values().forEach(CoordinatorShardDriver::close);
        drivers.clear();
    }

    /** The non-internal topics of the latest image, computed once per image. */
    private static final class TopicsCache {
        private final Supplier<MetadataImage> images;
        private volatile MetadataImage cachedImage;
        private volatile Map<String, Integer> cached = Map.of();

        TopicsCache(Supplier<MetadataImage> images) {
            this.images = images;
        }

        Map<String, Integer> get() {
            MetadataImage image = images.get();
            if (image != cachedImage) {
                Map<String, Integer> counts = new java.util.HashMap<>();
                image.topicsByName().values().stream().filter(t -> !t.internal())
                        .forEach(t -> counts.put(t.name(), t.partitions().size()));
                cached = Map.copyOf(counts);
                cachedImage = image;
            }
            return cached;
        }
    }
}
