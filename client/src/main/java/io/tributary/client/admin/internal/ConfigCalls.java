package io.tributary.client.admin.internal;

import io.grpc.Channel;
import io.tributary.client.Node;
import io.tributary.client.admin.AlterConfigOp;
import io.tributary.client.admin.Config;
import io.tributary.client.admin.ConfigEntry;
import io.tributary.client.admin.ConfigResource;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.errors.BrokerIdNotRegisteredException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.UnknownServerException;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.AlterConfigOpType;
import io.tributary.proto.v1.AlterConfigsResource;
import io.tributary.proto.v1.AlterConfigsResult;
import io.tributary.proto.v1.ConfigResourceType;
import io.tributary.proto.v1.DescribeConfigsRequest;
import io.tributary.proto.v1.DescribeConfigsResource;
import io.tributary.proto.v1.DescribeConfigsResponse;
import io.tributary.proto.v1.DescribeConfigsResult;
import io.tributary.proto.v1.IncrementalAlterConfigsRequest;
import io.tributary.proto.v1.IncrementalAlterConfigsResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * DescribeConfigs and IncrementalAlterConfigs calls. Topics and the cluster-wide broker default are
 * described by any broker; a broker's own configs only by that broker (its static configs are its
 * own), so each broker id gets a call to the broker the cluster metadata names. Alters go to any
 * broker, which forwards them to the active controller. Thread-safe.
 */
public final class ConfigCalls {

    private final AdminRuntime runtime;

    public ConfigCalls(AdminRuntime runtime) {
        this.runtime = runtime;
    }

    private static AdminServiceGrpc.AdminServiceStub admin(Channel channel, long timeoutMs) {
        return AdminServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** A future per resource (each once), settled from the answers. */
    public Map<ConfigResource, CompletableFuture<Config>> describe(Collection<ConfigResource> resources,
                                                                   boolean synonyms, boolean documentation,
                                                                   Integer timeoutMs) {
        Map<ConfigResource, CompletableFuture<Config>> futures = new LinkedHashMap<>();
        new LinkedHashSet<>(resources).forEach(r -> futures.put(Objects.requireNonNull(r, "resource"),
                new CompletableFuture<>()));
        List<ConfigResource> anyBroker = new ArrayList<>();
        Deadline deadline = runtime.deadline(timeoutMs);
        for (ConfigResource resource : futures.keySet()) {
            if (resource.type() == ConfigResource.Type.BROKER && !resource.isDefault()) {
                describeBroker(resource, futures.get(resource), synonyms, documentation, deadline);
            } else {
                anyBroker.add(resource);
            }
        }
        if (!anyBroker.isEmpty()) {
            DescribeConfigsRequest request = describeRequest(anyBroker, synonyms, documentation);
            RetryingCall.start(runtime, "describeConfigs", timeoutMs, (channel, ms) ->
                            Rpc.<DescribeConfigsResponse>unary(o -> admin(channel, ms).describeConfigs(request, o)))
                    .whenComplete((response, error) -> settle(anyBroker, futures, response, error));
        }
        return futures;
    }

    private void describeBroker(ConfigResource resource, CompletableFuture<Config> future, boolean synonyms,
                                boolean documentation, Deadline deadline) {
        int id;
        try {
            id = Integer.parseInt(resource.name());
        } catch (NumberFormatException e) {
            future.completeExceptionally(new InvalidRequestException("broker config resource name '"
                    + resource.name() + "' is neither a broker id nor \"\" (the cluster-wide default)"));
            return;
        }
        DescribeConfigsRequest request = describeRequest(List.of(resource), synonyms, documentation);
        TargetedCall.start(runtime, "describeConfigs", deadline, brokerTarget(id),
                        (node, channel, ms) -> Rpc.<DescribeConfigsResponse>unary(o ->
                                admin(channel, ms).describeConfigs(request, o)),
                        response -> TargetedCall.Outcome.NONE)
                .whenComplete((response, error) -> settle(List.of(resource), Map.of(resource, future), response,
                        error));
    }

    /** The broker {@code id} as the cluster metadata names it; fails when no such broker is registered. */
    private TargetedCall.Target brokerTarget(int id) {
        return new TargetedCall.Target() {
            @Override
            public CompletableFuture<Node> node() {
                return runtime.metadataFor(List.of()).thenApply(view -> {
                    Node node = view.brokers().get(id);
                    if (node == null) {
                        throw new BrokerIdNotRegisteredException("broker " + id + " is not registered (registered "
                                + "brokers: " + view.brokers().keySet() + ")");
                    }
                    return node;
                });
            }

            @Override
            public void forget() {
                runtime.requestMetadataUpdate();
            }

            @Override
            public String description() {
                return "broker " + id;
            }
        };
    }

    private static DescribeConfigsRequest describeRequest(List<ConfigResource> resources, boolean synonyms,
                                                          boolean documentation) {
        DescribeConfigsRequest.Builder request = DescribeConfigsRequest.newBuilder().setIncludeSynonyms(synonyms)
                .setIncludeDocumentation(documentation);
        resources.forEach(r -> request.addResources(DescribeConfigsResource.newBuilder().setResource(toProto(r))));
        return request.build();
    }

    private static void settle(List<ConfigResource> asked, Map<ConfigResource, CompletableFuture<Config>> futures,
                               DescribeConfigsResponse response, Throwable error) {
        if (error != null) {
            Throwable cause = Errors.unwrap(error);
            asked.forEach(r -> futures.get(r).completeExceptionally(cause));
            return;
        }
        for (DescribeConfigsResult result : response.getResultsList()) {
            CompletableFuture<Config> future = futures.get(fromProto(result.getResource()));
            if (future == null) {
                continue;
            }
            var failure = GrpcErrors.fromCode(result.getErrorCode(), result.getErrorMessage());
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(new Config(result.getConfigsList().stream().map(ConfigCalls::entry).toList()));
            }
        }
        asked.forEach(r -> futures.get(r).completeExceptionally(new UnknownServerException(
                "the broker sent no result for " + r)));
    }

    private static ConfigEntry entry(io.tributary.proto.v1.ConfigEntry proto) {
        List<ConfigEntry.ConfigSynonym> synonyms = proto.getSynonymsList().stream().map(s ->
                new ConfigEntry.ConfigSynonym(s.getName(), s.hasValue() ? s.getValue() : null, source(s.getSource())))
                .toList();
        return new ConfigEntry(proto.getName(), proto.hasValue() ? proto.getValue() : null, source(proto.getSource()),
                proto.getSensitive(), proto.getReadOnly(), synonyms,
                proto.getDocumentation().isEmpty() ? null : proto.getDocumentation());
    }

    private static ConfigEntry.ConfigSource source(io.tributary.proto.v1.ConfigSource source) {
        return switch (source) {
            case CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG -> ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
            case CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG -> ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG;
            case CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG -> ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
            case CONFIG_SOURCE_STATIC_BROKER_CONFIG -> ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG;
            case CONFIG_SOURCE_DEFAULT_CONFIG -> ConfigEntry.ConfigSource.DEFAULT_CONFIG;
            default -> ConfigEntry.ConfigSource.UNKNOWN;
        };
    }

    /** A future per resource (each once) that succeeds once its changes are recorded. */
    public Map<ConfigResource, CompletableFuture<Void>> alter(Map<ConfigResource, Collection<AlterConfigOp>> changes,
                                                              boolean validateOnly, Integer timeoutMs) {
        Map<ConfigResource, CompletableFuture<Void>> futures = new LinkedHashMap<>();
        IncrementalAlterConfigsRequest.Builder request = IncrementalAlterConfigsRequest.newBuilder()
                .setValidateOnly(validateOnly);
        changes.forEach((resource, ops) -> {
            futures.put(Objects.requireNonNull(resource, "resource"), new CompletableFuture<>());
            AlterConfigsResource.Builder proto = AlterConfigsResource.newBuilder().setResource(toProto(resource));
            Objects.requireNonNull(ops, "ops of " + resource).forEach(op -> proto.addOps(toProto(op)));
            request.addResources(proto);
        });
        if (futures.isEmpty()) {
            return futures;
        }
        IncrementalAlterConfigsRequest built = request.build();
        RetryingCall.start(runtime, "incrementalAlterConfigs", timeoutMs, (channel, ms) ->
                        Rpc.<IncrementalAlterConfigsResponse>unary(o -> admin(channel, ms)
                                .incrementalAlterConfigs(built, o)))
                .whenComplete((response, error) -> {
                    if (error != null) {
                        Throwable cause = Errors.unwrap(error);
                        futures.values().forEach(f -> f.completeExceptionally(cause));
                        return;
                    }
                    for (AlterConfigsResult result : response.getResultsList()) {
                        CompletableFuture<Void> future = futures.get(fromProto(result.getResource()));
                        var failure = GrpcErrors.fromCode(result.getErrorCode(), result.getErrorMessage());
                        if (future != null && failure != null) {
                            future.completeExceptionally(failure);
                        } else if (future != null) {
                            future.complete(null);
                        }
                    }
                    futures.forEach((r, f) -> f.completeExceptionally(new UnknownServerException(
                            "the broker sent no result for " + r)));
                });
        return futures;
    }

    private static io.tributary.proto.v1.AlterConfigOp toProto(AlterConfigOp op) {
        var proto = io.tributary.proto.v1.AlterConfigOp.newBuilder().setName(op.configEntry().name())
                .setOp(switch (op.opType()) {
                    case SET -> AlterConfigOpType.ALTER_CONFIG_OP_TYPE_SET;
                    case DELETE -> AlterConfigOpType.ALTER_CONFIG_OP_TYPE_DELETE;
                    case APPEND -> AlterConfigOpType.ALTER_CONFIG_OP_TYPE_APPEND;
                    case SUBTRACT -> AlterConfigOpType.ALTER_CONFIG_OP_TYPE_SUBTRACT;
                });
        if (op.configEntry().value() != null) {
            proto.setValue(op.configEntry().value());
        }
        return proto.build();
    }

    private static io.tributary.proto.v1.ConfigResource toProto(ConfigResource resource) {
        return io.tributary.proto.v1.ConfigResource.newBuilder().setName(resource.name())
                .setType(resource.type() == ConfigResource.Type.TOPIC ? ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC
                        : ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER).build();
    }

    private static ConfigResource fromProto(io.tributary.proto.v1.ConfigResource resource) {
        return new ConfigResource(resource.getType() == ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC
                ? ConfigResource.Type.TOPIC : ConfigResource.Type.BROKER, resource.getName());
    }
}
