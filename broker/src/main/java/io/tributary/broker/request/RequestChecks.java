package io.tributary.broker.request;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.InvalidRequestException;
import java.util.HashSet;
import java.util.Set;

/**
 * Request-level validation shared by the handlers. Failures are {@link InvalidRequestException}s,
 * which the gRPC layer answers with INVALID_ARGUMENT; the message names the offending field.
 */
final class RequestChecks {

    private final String requestName;
    private final Set<TopicPartition> seen = new HashSet<>();

    RequestChecks(String requestName) {
        this.requestName = requestName;
    }

    static void nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidRequestException(field + " must not be negative (got " + value + ")");
        }
    }

    static void nonEmpty(String field, int count) {
        if (count == 0) {
            throw new InvalidRequestException(field + " must not be empty");
        }
    }

    /**
     * Checks the i-th (topic, partition) entry: the topic is named and the pair is not repeated.
     * Returns the pair when the partition number is usable, or null when it is negative (which is
     * then a per-partition UNKNOWN_TOPIC_OR_PARTITION, not a request error).
     */
    TopicPartition entry(String field, int index, String topic, int partition) {
        if (topic.isEmpty()) {
            throw new InvalidRequestException(field + "[" + index + "].topic must not be empty");
        }
        if (partition < 0) {
            return null;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        if (!seen.add(tp)) {
            throw new InvalidRequestException(requestName + " lists partition " + tp + " more than once");
        }
        return tp;
    }
}
