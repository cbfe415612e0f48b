package io.tributary.broker.request;

import io.tributary.quorum.transport.ControllerClient;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreatePartitionsResponse;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.DeleteTopicsResponse;
import io.tributary.proto.v1.ElectLeadersRequest;
import io.tributary.proto.v1.ElectLeadersResponse;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.PartitionCountChange;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Topic administration: request-level checks here, then the request is forwarded to the active
 * controller (wherever it runs), which answers once its records are committed. Thread-safe.
 */
public final class AdminHandler {

    private final ControllerClient controller;

    public AdminHandler(ControllerClient controller) {
        this.controller = controller;
    }

    /** @throws InvalidRequestException when the request is empty, names a topic twice, or sets internal */
    public CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest request) {
        if (request.getInternal()) {
            throw new InvalidRequestException("internal may not be set: internal topics are created by brokers");
        }
        uniqueNames("topics", request.getTopicsList().stream().map(NewTopic::getName).toList());
        return controller.createTopics(request);
    }

    /** @throws InvalidRequestException when the request is empty or names a topic twice */
    public CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest request) {
        uniqueNames("names", request.getNamesList());
        return controller.deleteTopics(request);
    }

    /** @throws InvalidRequestException when the request is empty or names a topic twice */
    public CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest request) {
        uniqueNames("topics", request.getTopicsList().stream().map(PartitionCountChange::getName).toList());
        return controller.createPartitions(request);
    }

    /** Forwarded as is: the controller checks the election type and repeated partitions. */
    public CompletableFuture<ElectLeadersResponse> electLeaders(ElectLeadersRequest request) {
        return controller.electLeaders(request);
    }

    private static void uniqueNames(String field, List<String> names) {
        RequestChecks.nonEmpty(field, names.size());
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new InvalidRequestException(field + " names topic '" + name + "' more than once");
            }
        }
    }
}
