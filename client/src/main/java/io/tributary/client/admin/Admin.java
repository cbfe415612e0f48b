package io.tributary.client.admin;

import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internal.ClientConfigs;
import io.tributary.common.TopicPartition;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.Properties;

/**
 * Administers topics, configs and consumer groups and inspects the cluster: Kafka's {@code Admin} for Tributary.
 *
 * <p><b>Asynchronous.</b> Every call returns at once with a result object of
 * {@link java.util.concurrent.CompletableFuture}s; nothing blocks except {@link #close}. Futures
 * complete on gRPC or admin threads, so dependent stages must not block; call {@code get()} from
 * your own threads.
 *
 * <p><b>Timeouts and retries.</b> Each call is bounded by its options' {@code timeoutMs}, else by
 * {@code default.api.timeout.ms}; each RPC attempt by {@code request.timeout.ms}. Failures that may
 * pass (an unreachable or restarting broker, DEADLINE_EXCEEDED, for {@link #listOffsets} a moved
 * or missing leader, and for consumer-group calls a moved or loading coordinator) are retried, waiting {@code retry.backoff.ms} doubling up to
 * {@code retry.backoff.max.ms}. When time runs out the futures fail with
 * {@link io.tributary.common.errors.TimeoutException} whose message names the call, the elapsed time
 * and the last error (e.g. {@code "createTopics timed out after 1500 ms; last error: UNAVAILABLE from
 * 127.0.0.1:1: io exception (Connection refused ...)"}). Other failures fail the futures at once
 * with the exception for the broker's error code and message (for example
 * {@link io.tributary.common.errors.TopicExistsException}); per-topic and per-partition errors fail
 * only that topic's or partition's future.
 *
 * <p><b>Threading.</b> Thread-safe: share one instance. Calls made after {@link #close} begins
 * fail their futures with {@link IllegalStateException}.
 */
public interface Admin extends AutoCloseable {

    /**
     * Creates an admin client from properties.
     *
     * @throws io.tributary.common.errors.InvalidConfigurationException naming the key when
     *     {@code bootstrap.servers} is missing or malformed, or another value is invalid
     */
    static Admin create(Properties props) {
        return new TributaryAdmin(ClientConfigs.toMap(props));
    }

    /**
     * Creates an admin client from a map whose values are strings, numbers or lists.
     *
     * @throws io.tributary.common.errors.InvalidConfigurationException naming the key when
     *     {@code bootstrap.servers} is missing or malformed, or another value is invalid
     */
    static Admin create(Map<String, Object> conf) {
        return new TributaryAdmin(conf);
    }

    /** Creates topics with the default options. */
    default CreateTopicsResult createTopics(Collection<NewTopic> newTopics) {
        return createTopics(newTopics, new CreateTopicsOptions());
    }

    /**
     * Creates topics; each succeeds or fails on its own. A name given twice is created once (the
     * first definition wins).
     */
    CreateTopicsResult createTopics(Collection<NewTopic> newTopics, CreateTopicsOptions options);

    /** Deletes topics with the default options. */
    default DeleteTopicsResult deleteTopics(Collection<String> topics) {
        return deleteTopics(topics, new DeleteTopicsOptions());
    }

    /** Deletes topics and their data; each succeeds or fails on its own. */
    DeleteTopicsResult deleteTopics(Collection<String> topics, DeleteTopicsOptions options);

    /** Lists the topics that are not internal. */
    default ListTopicsResult listTopics() {
        return listTopics(new ListTopicsOptions());
    }

    /** Lists topics, with internal ones when {@link ListTopicsOptions#listInternal} is set. */
    ListTopicsResult listTopics(ListTopicsOptions options);

    /** Describes topics with the default options. */
    default DescribeTopicsResult describeTopics(Collection<String> topicNames) {
        return describeTopics(topicNames, new DescribeTopicsOptions());
    }

    /** Describes topics: partitions with leader, replicas and ISR, and the configs set on each topic. */
    DescribeTopicsResult describeTopics(Collection<String> topicNames, DescribeTopicsOptions options);

    /** Raises partition counts with the default options. */
    default CreatePartitionsResult createPartitions(Map<String, NewPartitions> newPartitions) {
        return createPartitions(newPartitions, new CreatePartitionsOptions());
    }

    /** Raises the partition counts of existing topics; counts never shrink. */
    CreatePartitionsResult createPartitions(Map<String, NewPartitions> newPartitions,
                                            CreatePartitionsOptions options);

    /** Elects leaders with the default options. */
    default ElectLeadersResult electLeaders(ElectionType electionType, Set<TopicPartition> partitions) {
        return electLeaders(electionType, partitions, new ElectLeadersOptions());
    }

    /**
     * Elects leaders now: {@link ElectionType#PREFERRED} gives each partition back to its first
     * replica, {@link ElectionType#UNCLEAN} gives leaderless partitions a live out-of-sync replica.
     *
     * @param partitions the partitions, or null for every partition of every topic
     */
    ElectLeadersResult electLeaders(ElectionType electionType, Set<TopicPartition> partitions,
                                    ElectLeadersOptions options);

    /** Describes the cluster with the default options. */
    default DescribeClusterResult describeCluster() {
        return describeCluster(new DescribeClusterOptions());
    }

    /**
     * Describes the cluster: the brokers (unfenced ones, or all with
     * {@link DescribeClusterOptions#includeFencedBrokers(boolean)}), the active controller, the
     * controllers and the cluster id.
     */
    DescribeClusterResult describeCluster(DescribeClusterOptions options);

    /** Looks up offsets with the default options. */
    default ListOffsetsResult listOffsets(Map<TopicPartition, OffsetSpec> topicPartitionOffsets) {
        return listOffsets(topicPartitionOffsets, new ListOffsetsOptions());
    }

    /**
     * Looks up offsets by position or timestamp. Requests go to each partition's leader, one per
     * leader; a leader that moved, a partition without a leader and a topic or partition the cluster
     * does not know (yet) are retried with fresh metadata until the timeout, whose
     * TimeoutException then names the partition and its last error.
     */
    ListOffsetsResult listOffsets(Map<TopicPartition, OffsetSpec> topicPartitionOffsets, ListOffsetsOptions options);

    /** Lists consumer groups with the default options. */
    default ListConsumerGroupsResult listConsumerGroups() {
        return listConsumerGroups(new ListConsumerGroupsOptions());
    }

    /**
     * Lists the consumer groups of the cluster: asks every live broker for the groups it
     * coordinates (a broker that cannot answer in time is reported by
     * {@link ListConsumerGroupsResult#errors()}).
     */
    ListConsumerGroupsResult listConsumerGroups(ListConsumerGroupsOptions options);

    /** Describes consumer groups with the default options. */
    default DescribeConsumerGroupsResult describeConsumerGroups(Collection<String> groupIds) {
        return describeConsumerGroups(groupIds, new DescribeConsumerGroupsOptions());
    }

    /**
     * Describes consumer groups: state, assignor, epochs, coordinator and members with their current
     * and target assignments. Each group is asked of its coordinator; a coordinator that moved, is
     * still loading the group, or cannot be reached is found again and retried until the timeout.
     */
    DescribeConsumerGroupsResult describeConsumerGroups(Collection<String> groupIds,
                                                        DescribeConsumerGroupsOptions options);

    /** Lists a group's committed offsets with the default options. */
    default ListConsumerGroupOffsetsResult listConsumerGroupOffsets(String groupId) {
        return listConsumerGroupOffsets(groupId, new ListConsumerGroupOffsetsOptions());
    }

    /** Lists a group's committed offsets: every partition it has one for. */
    ListConsumerGroupOffsetsResult listConsumerGroupOffsets(String groupId, ListConsumerGroupOffsetsOptions options);

    /** Commits offsets for a group with the default options. */
    default AlterConsumerGroupOffsetsResult alterConsumerGroupOffsets(String groupId,
                                                                      Map<TopicPartition, OffsetAndMetadata> offsets) {
        return alterConsumerGroupOffsets(groupId, offsets, new AlterConsumerGroupOffsetsOptions());
    }

    /**
     * Commits offsets for a group from outside it, as {@code kafka-consumer-groups.sh --reset-offsets}
     * does: only while the group has no members (else every partition fails with
     * {@link io.tributary.common.errors.GroupNotEmptyException}). A group that does not exist yet is
     * created, empty, with these offsets.
     */
    AlterConsumerGroupOffsetsResult alterConsumerGroupOffsets(String groupId,
                                                              Map<TopicPartition, OffsetAndMetadata> offsets,
                                                              AlterConsumerGroupOffsetsOptions options);

    /** Deletes consumer groups with the default options. */
    default DeleteConsumerGroupsResult deleteConsumerGroups(Collection<String> groupIds) {
        return deleteConsumerGroups(groupIds, new DeleteConsumerGroupsOptions());
    }

    /** Deletes empty consumer groups and their committed offsets; each succeeds or fails on its own. */
    DeleteConsumerGroupsResult deleteConsumerGroups(Collection<String> groupIds, DeleteConsumerGroupsOptions options);

    /** Deletes a group's committed offsets with the default options. */
    default DeleteConsumerGroupOffsetsResult deleteConsumerGroupOffsets(String groupId, Set<TopicPartition> partitions) {
        return deleteConsumerGroupOffsets(groupId, partitions, new DeleteConsumerGroupOffsetsOptions());
    }

    /**
     * Deletes a group's committed offsets of some partitions; the partitions of a topic a member
     * subscribes to keep theirs and fail with
     * {@link io.tributary.common.errors.GroupSubscribedToTopicException}.
     */
    DeleteConsumerGroupOffsetsResult deleteConsumerGroupOffsets(String groupId, Set<TopicPartition> partitions,
                                                                DeleteConsumerGroupOffsetsOptions options);

    /** Describes the configs of topics and brokers with the default options. */
    default DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources) {
        return describeConfigs(resources, new DescribeConfigsOptions());
    }

    /**
     * Describes the configs of topics, brokers (by id: asked of that broker, whose static configs are
     * its own) and the cluster-wide broker default (a broker resource named {@code ""}): every config
     * with its effective value, its source and whether it is read-only.
     */
    DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources, DescribeConfigsOptions options);

    /** Changes configs incrementally with the default options. */
    default AlterConfigsResult incrementalAlterConfigs(Map<ConfigResource, Collection<AlterConfigOp>> configs) {
        return incrementalAlterConfigs(configs, new AlterConfigsOptions());
    }

    /**
     * Changes configs incrementally (SET, DELETE, APPEND, SUBTRACT per key), each resource as a whole
     * or not at all; brokers apply the new effective configs to running partitions. Unknown keys and
     * bad values fail that resource with {@link io.tributary.common.errors.InvalidConfigurationException},
     * read-only broker keys with {@link io.tributary.common.errors.InvalidRequestException}.
     */
    AlterConfigsResult incrementalAlterConfigs(Map<ConfigResource, Collection<AlterConfigOp>> configs,
                                               AlterConfigsOptions options);

    /** Describes the metadata quorum with the default options. */
    default DescribeMetadataQuorumResult describeMetadataQuorum() {
        return describeMetadataQuorum(new DescribeMetadataQuorumOptions());
    }

    /**
     * Describes the metadata quorum as its leader (the active controller) sees it: epoch, high
     * watermark, and each voter's and observer's replication progress. A broker answers by asking the
     * leader; while no leader can answer, the call is retried until its timeout.
     */
    DescribeMetadataQuorumResult describeMetadataQuorum(DescribeMetadataQuorumOptions options);

    /** Deletes records with the default options. */
    default DeleteRecordsResult deleteRecords(Map<TopicPartition, RecordsToDelete> recordsToDelete) {
        return deleteRecords(recordsToDelete, new DeleteRecordsOptions());
    }

    /**
     * Deletes each partition's records before an offset (Kafka's {@code deleteRecords}): the offset
     * becomes the partition's log start offset, so consumers can no longer fetch what lies below it.
     * Requests go to each partition's leader, one per leader; a leader that moved, a partition
     * without a leader and a topic or partition the cluster does not know (yet) are retried with
     * fresh metadata until the timeout. A partition succeeds once every in-sync replica has the new
     * log start offset (checkpointed), as Kafka's low watermark; until then the leader answers
     * REQUEST_TIMED_OUT, which is retried too. As in Kafka, a retried {@code beforeOffset(-1)} is
     * resolved again by the leader it reaches, to the high watermark at that time (which may be
     * higher than at the first attempt). POLICY_VIOLATION (a compacted topic) and
     * OFFSET_OUT_OF_RANGE fail the partition at once.
     */
    DeleteRecordsResult deleteRecords(Map<TopicPartition, RecordsToDelete> recordsToDelete,
                                      DeleteRecordsOptions options);

    /** Closes the client, waiting as long as the calls in flight need (each is bounded by its timeout). */
    @Override
    void close();

    /**
     * Closes the client: stops accepting calls, waits up to {@code timeout} for the calls in flight,
     * fails the rest with {@link io.tributary.common.errors.TimeoutException}, then stops the admin
     * threads and connections. Calling it again has no effect.
     *
     * @throws IllegalArgumentException when the timeout is negative
     */
    void close(Duration timeout);
}
