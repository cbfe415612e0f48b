package io.tributary.client.admin;

import io.grpc.Channel;
import io.tributary.client.Node;
import io.tributary.client.admin.CreateTopicsResult.TopicMetadataAndConfig;
import io.tributary.client.admin.internal.AdminRuntime;
import io.tributary.client.admin.internal.ConfigCalls;
import io.tributary.client.admin.internal.ClusterCalls;
import io.tributary.client.admin.internal.Conversions;
import io.tributary.client.admin.internal.GroupCalls;
import io.tributary.client.admin.internal.DeleteRecordsCall;
import io.tributary.client.admin.internal.ListOffsetsCall;
import io.tributary.client.admin.internal.RetryingCall;
import io.tributary.client.admin.internal.Rpc;
import io.tributary.client.admin.internal.TopicOutcomes;
import io.tributary.client.admin.internal.TopicOutcomes.Outcome;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internal.ClientConfigs;
import io.tributary.client.internal.ClusterView;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.config.ParsedConfig;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.common.errors.Errors;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreatePartitionsResponse;
import io.tributary.proto.v1.ElectLeadersRequest;
import io.tributary.proto.v1.ElectLeadersResponse;
import io.tributary.proto.v1.ElectionResult;
import io.tributary.proto.v1.TopicPartitionRef;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.DeleteTopicsResponse;
import io.tributary.proto.v1.DescribeTopicsRequest;
import io.tributary.proto.v1.DescribeTopicsResponse;
import io.tributary.proto.v1.ListTopicsRequest;
import io.tributary.proto.v1.ListTopicsResponse;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;
import io.tributary.proto.v1.PartitionCountChange;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Admin} implementation over Tributary's gRPC AdminService, ClusterService, FetchService
 * and GroupService. Topic-admin calls go to any broker (known brokers, then the bootstrap servers,
 * the next one on each retry); offset lookups go to each partition's leader; consumer-group calls
 * go to each group's coordinator, except listing, which asks every broker. See {@link Admin} for the
 * timeout, retry, error and threading contract. Create it with {@link Admin#create}.
 */
public final class TributaryAdmin implements Admin {

    private static final AtomicInteger CLIENT_IDS = new AtomicInteger(1);

    private final AdminRuntime runtime;
    private final GroupCalls groups;
    private final ConfigCalls configs;
    private final ClusterCalls clusterCalls;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @throws io.tributary.common.errors.InvalidConfigurationException naming the key for a missing or
     *     malformed {@code bootstrap.servers} or another invalid value
     */
    public TributaryAdmin(Map<String, ?> configs) {
        this(configs, Time.SYSTEM);
    }

    TributaryAdmin(Map<String, ?> configs, Time time) {
        ParsedConfig config = ClientConfigs.parse(AdminClientConfig.CONFIG_DEF, configs, "admin");
        String givenId = config.getString(AdminClientConfig.CLIENT_ID_CONFIG);
        String clientId = givenId.isEmpty() ? "adminclient-" + CLIENT_IDS.getAndIncrement() : givenId;
        AdminRuntime.Settings settings = new AdminRuntime.Settings(
                config.getInt(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG),
                config.getInt(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG),
                config.getLong(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG),
                config.getLong(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG));
        this.runtime = new AdminRuntime(clientId, settings, config.getList(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG),
                config.getLong(AdminClientConfig.METADATA_MAX_AGE_CONFIG), time);
        this.groups = new GroupCalls(runtime);
        this.configs = new ConfigCalls(runtime);
        this.clusterCalls = new ClusterCalls(runtime);
    }

    private static AdminServiceGrpc.AdminServiceStub admin(Channel channel, long timeoutMs) {
        return AdminServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private static ClusterServiceGrpc.ClusterServiceStub cluster(Channel channel, long timeoutMs) {
        return ClusterServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private static <V> Map<String, CompletableFuture<V>> futuresFor(Collection<String> names) {
        Map<String, CompletableFuture<V>> futures = new LinkedHashMap<>();
        names.forEach(name -> futures.put(name, new CompletableFuture<>()));
        return futures;
    }

    @Override
    public CreateTopicsResult createTopics(Collection<NewTopic> newTopics, CreateTopicsOptions options) {
        Map<String, NewTopic> byName = new LinkedHashMap<>();
        newTopics.forEach(topic -> byName.putIfAbsent(topic.name(), topic));
        Map<String, CompletableFuture<TopicMetadataAndConfig>> futures = futuresFor(byName.keySet());
        if (!byName.isEmpty()) {
            CreateTopicsRequest.Builder request = CreateTopicsRequest.newBuilder()
                    .setValidateOnly(options.shouldValidateOnly());
            byName.values().forEach(topic -> request.addTopics(toProto(topic)));
            CreateTopicsRequest built = request.build();
            RetryingCall.start(runtime, "createTopics", options.timeoutMs(), (channel, ms) ->
                            Rpc.<CreateTopicsResponse>unary(o -> admin(channel, ms).createTopics(built, o)))
                    .whenComplete((response, error) -> TopicOutcomes.complete(futures, response, error,
                            TributaryAdmin::created));
        }
        return new CreateTopicsResult(futures);
    }

    private static io.tributary.proto.v1.NewTopic toProto(NewTopic topic) {
        var proto = io.tributary.proto.v1.NewTopic.newBuilder().setName(topic.name());
        if (topic.numPartitions() != -1) {
            proto.setNumPartitions(topic.numPartitions());
        }
        if (topic.replicationFactor() != -1) {
            proto.setReplicationFactor(topic.replicationFactor());
        }
        if (topic.configs() != null) {
            proto.putAllConfigs(topic.configs());
        }
        return proto.build();
    }

    private static List<Outcome<TopicMetadataAndConfig>> created(CreateTopicsResponse response) {
        return response.getTopicsList().stream().map(r -> new Outcome<>(r.getName(), r.getErrorCode(),
                r.getErrorMessage(), () -> new TopicMetadataAndConfig(Conversions.topicId(r.getTopicId()),
                        r.getNumPartitions(), r.getReplicationFactor()))).toList();
    }

    @Override
    public DeleteTopicsResult deleteTopics(Collection<String> topics, DeleteTopicsOptions options) {
        Set<String> names = new LinkedHashSet<>(topics);
        Map<String, CompletableFuture<Void>> futures = futuresFor(names);
        if (!names.isEmpty()) {
            DeleteTopicsRequest request = DeleteTopicsRequest.newBuilder().addAllNames(names).build();
            RetryingCall.start(runtime, "deleteTopics", options.timeoutMs(), (channel, ms) ->
                            Rpc.<DeleteTopicsResponse>unary(o -> admin(channel, ms).deleteTopics(request, o)))
                    .whenComplete((response, error) -> TopicOutcomes.complete(futures, response, error,
                            r -> r.getTopicsList().stream().map(t -> new Outcome<Void>(t.getName(), t.getErrorCode(),
                                    t.getErrorMessage(), () -> null)).toList()));
        }
        return new DeleteTopicsResult(futures);
    }

    @Override
    public ListTopicsResult listTopics(ListTopicsOptions options) {
        ListTopicsRequest request = ListTopicsRequest.newBuilder().setIncludeInternal(options.shouldListInternal())
                .build();
        return new ListTopicsResult(RetryingCall.start(runtime, "listTopics", options.timeoutMs(), (channel, ms) ->
                        Rpc.<ListTopicsResponse>unary(o -> admin(channel, ms).listTopics(request, o)))
                .thenApply(Conversions::listings));
    }

    /** A DescribeTopics answer, with the brokers (from a Metadata call to the same broker) to resolve replica ids. */
    private record Described(DescribeTopicsResponse topics, Map<Integer, Node> brokers) {
    }

    @Override
    public DescribeTopicsResult describeTopics(Collection<String> topicNames, DescribeTopicsOptions options) {
        Set<String> names = new LinkedHashSet<>(topicNames);
        Map<String, CompletableFuture<TopicDescription>> futures = futuresFor(names);
        if (!names.isEmpty()) {
            DescribeTopicsRequest describe = DescribeTopicsRequest.newBuilder().addAllNames(names).build();
            MetadataRequest metadata = MetadataRequest.newBuilder().addAllTopics(names).build();
            RetryingCall.start(runtime, "describeTopics", options.timeoutMs(), describeRpc(describe, metadata))
                    .whenComplete((described, error) -> TopicOutcomes.complete(futures, described, error,
                            d -> d.topics().getTopicsList().stream().map(t -> new Outcome<>(t.getName(),
                                    t.getErrorCode(), t.getErrorMessage(),
                                    () -> Conversions.description(t, d.brokers()))).toList()));
        }
        return new DescribeTopicsResult(futures);
    }

    /** DescribeTopics and Metadata (for the brokers) sent in parallel to the same broker. */
    private static Rpc<Described> describeRpc(DescribeTopicsRequest describe, MetadataRequest metadata) {
        return (channel, ms) -> Rpc.<DescribeTopicsResponse>unary(o -> admin(channel, ms).describeTopics(describe, o))
                .thenCombine(Rpc.<MetadataResponse>unary(o -> cluster(channel, ms).metadata(metadata, o)),
                        (topics, cluster) -> new Described(topics, ClusterView.from(cluster, 0).brokers()));
    }

    @Override
    public CreatePartitionsResult createPartitions(Map<String, NewPartitions> newPartitions,
                                                   CreatePartitionsOptions options) {
        Map<String, CompletableFuture<Void>> futures = futuresFor(newPartitions.keySet());
        if (!newPartitions.isEmpty()) {
            CreatePartitionsRequest.Builder request = CreatePartitionsRequest.newBuilder()
                    .setValidateOnly(options.validateOnly());
            newPartitions.forEach((name, change) -> request.addTopics(PartitionCountChange.newBuilder().setName(name)
                    .setTotalCount(Objects.requireNonNull(change, "NewPartitions of " + name).totalCount())));
            CreatePartitionsRequest built = request.build();
            RetryingCall.start(runtime, "createPartitions", options.timeoutMs(), (channel, ms) ->
                            Rpc.<CreatePartitionsResponse>unary(o -> admin(channel, ms).createPartitions(built, o)))
                    .whenComplete((response, error) -> TopicOutcomes.complete(futures, response, error,
                            r -> r.getTopicsList().stream().map(t -> new Outcome<Void>(t.getName(), t.getErrorCode(),
                                    t.getErrorMessage(), () -> null)).toList()));
        }
        return new CreatePartitionsResult(futures);
    }

    @Override
    public ElectLeadersResult electLeaders(ElectionType electionType, Set<TopicPartition> partitions,
                                           ElectLeadersOptions options) {
        ElectLeadersRequest.Builder request = ElectLeadersRequest.newBuilder().setElectionType(
                electionType == ElectionType.PREFERRED ? io.tributary.proto.v1.ElectionType.ELECTION_TYPE_PREFERRED
                        : io.tributary.proto.v1.ElectionType.ELECTION_TYPE_UNCLEAN);
        if (partitions != null) {
            partitions.forEach(tp -> request.addPartitions(TopicPartitionRef.newBuilder().setTopic(tp.topic())
                    .setPartition(tp.partition())));
        }
        ElectLeadersRequest built = request.build();
        return new ElectLeadersResult(RetryingCall.start(runtime, "electLeaders", options.timeoutMs(),
                        (channel, ms) -> Rpc.<ElectLeadersResponse>unary(o -> admin(channel, ms).electLeaders(built, o)))
                .thenApply(response -> {
                    Map<TopicPartition, Optional<Throwable>> outcomes = new LinkedHashMap<>();
                    for (ElectionResult result : response.getResultsList()) {
                        outcomes.put(new TopicPartition(result.getTopic(), result.getPartition()),
                                Optional.ofNullable(Errors.exceptionFor(result.getErrorCode(), result.getErrorMessage())));
                    }
                    return outcomes;
                }));
    }

    @Override
    public DescribeClusterResult describeCluster(DescribeClusterOptions options) {
        CompletableFuture<ClusterCalls.Cluster> described = clusterCalls.describeCluster(
                options.includeFencedBrokers(), options.timeoutMs());
        return new DescribeClusterResult(described.thenApply(ClusterCalls.Cluster::brokers),
                described.thenApply(ClusterCalls.Cluster::controller), described.thenApply(ClusterCalls.Cluster::clusterId),
                described.thenApply(ClusterCalls.Cluster::controllers),
                described.thenApply(ClusterCalls.Cluster::registrations));
    }

    @Override
    public ListOffsetsResult listOffsets(Map<TopicPartition, OffsetSpec> topicPartitionOffsets,
                                         ListOffsetsOptions options) {
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        topicPartitionOffsets.forEach((tp, spec) -> specs.put(Objects.requireNonNull(tp, "partition"),
                Objects.requireNonNull(spec, "OffsetSpec of " + tp)));
        return new ListOffsetsResult(ListOffsetsCall.start(runtime, specs, options.timeoutMs()));
    }

    @Override
    public ListConsumerGroupsResult listConsumerGroups(ListConsumerGroupsOptions options) {
        return new ListConsumerGroupsResult(groups.list(options.states(), options.timeoutMs()));
    }

    @Override
    public DescribeConsumerGroupsResult describeConsumerGroups(Collection<String> groupIds,
                                                               DescribeConsumerGroupsOptions options) {
        return new DescribeConsumerGroupsResult(groups.describe(groupIds, options.timeoutMs()));
    }

    @Override
    public ListConsumerGroupOffsetsResult listConsumerGroupOffsets(String groupId,
                                                                   ListConsumerGroupOffsetsOptions options) {
        return new ListConsumerGroupOffsetsResult(groups.offsets(Objects.requireNonNull(groupId, "groupId"),
                options.timeoutMs()));
    }

    @Override
    public AlterConsumerGroupOffsetsResult alterConsumerGroupOffsets(String groupId,
                                                                     Map<TopicPartition, OffsetAndMetadata> offsets,
                                                                     AlterConsumerGroupOffsetsOptions options) {
        return new AlterConsumerGroupOffsetsResult(groups.alterOffsets(Objects.requireNonNull(groupId, "groupId"),
                offsets, options.timeoutMs()));
    }

    @Override
    public DeleteConsumerGroupsResult deleteConsumerGroups(Collection<String> groupIds,
                                                           DeleteConsumerGroupsOptions options) {
        return new DeleteConsumerGroupsResult(groups.delete(groupIds, options.timeoutMs()));
    }

    @Override
    public DeleteConsumerGroupOffsetsResult deleteConsumerGroupOffsets(String groupId, Set<TopicPartition> partitions,
                                                                       DeleteConsumerGroupOffsetsOptions options) {
        return new DeleteConsumerGroupOffsetsResult(groups.deleteOffsets(Objects.requireNonNull(groupId, "groupId"),
                partitions, options.timeoutMs()));
    }

    @Override
    public DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources,
                                                 DescribeConfigsOptions options) {
        return new DescribeConfigsResult(configs.describe(resources, options.includeSynonyms(),
                options.includeDocumentation(), options.timeoutMs()));
    }

    @Override
    public AlterConfigsResult incrementalAlterConfigs(Map<ConfigResource, Collection<AlterConfigOp>> changes,
                                                      AlterConfigsOptions options) {
        return new AlterConfigsResult(configs.alter(changes, options.shouldValidateOnly(), options.timeoutMs()));
    }

    @Override
    public DescribeMetadataQuorumResult describeMetadataQuorum(DescribeMetadataQuorumOptions options) {
        return new DescribeMetadataQuorumResult(clusterCalls.describeQuorum(options.timeoutMs()));
    }

    @Override
    public DeleteRecordsResult deleteRecords(Map<TopicPartition, RecordsToDelete> recordsToDelete,
                                             DeleteRecordsOptions options) {
        Map<TopicPartition, RecordsToDelete> offsets = new LinkedHashMap<>();
        recordsToDelete.forEach((tp, records) -> offsets.put(Objects.requireNonNull(tp, "partition"),
                Objects.requireNonNull(records, "RecordsToDelete of " + tp)));
        return new DeleteRecordsResult(DeleteRecordsCall.start(runtime, offsets, options.timeoutMs()));
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Override
    public void close(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("the close timeout cannot be negative: " + timeout);
        }
        if (closed.compareAndSet(false, true)) {
            boolean unbounded = timeout.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0;
            runtime.close(unbounded ? Long.MAX_VALUE : timeout.toMillis());
        }
    }
}
