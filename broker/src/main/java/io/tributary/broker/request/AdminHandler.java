package io.tributary.broker.request;

import io.tributary.broker.controller.LocalController;
import io.tributary.broker.controller.TopicControl;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreatePartitionsResponse;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.DeleteTopicsResponse;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.PartitionCountChange;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Topic administration: request-level checks here, then the write runs on the controller, which
 * answers once its records are committed. Thread-safe.
 */
public final class AdminHandler {

    private final LocalController controller;
    private final TopicControl topics;

    public AdminHandler(LocalController controller, TopicControl topics) {
        this.controller = controller;
        this.topics = topics;
    }

    /** @throws InvalidRequestException when the request is empty or names a topic twice */
    public CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest request) {
        uniqueNames("topics", request.getTopicsList().stream().map(NewTopic::getName).toList());
        return controller.write(image -> topics.createTopics(image, request));
    }

    /** @throws InvalidRequestException when the request is empty or names a topic twice */
    public CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest request) {
        uniqueNames("names", request.getNamesList());
        return controller.write(image -> topics.deleteTopics(image, request));
    }

    /** @throws InvalidRequestException when the request is empty or names a topic twice */
    public CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest request) {
        uniqueNames("topics", request.getTopicsList().stream().map(PartitionCountChange::getName).toList());
        return controller.write(image -> topics.createPartitions(image, request));
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
