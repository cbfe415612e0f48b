package io.tributary.client.admin.internal;

import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** Settles the per-topic futures of a topic-admin call from its response or its failure. */
public final class TopicOutcomes {

    /**
     * What the broker said about one topic.
     *
     * @param value builds the topic's value; called only on success, and a failure fails that topic
     */
    public record Outcome<V>(String name, ErrorCode code, String message, Supplier<V> value) {
    }

    private TopicOutcomes() {
    }

    /**
     * Fails every future with {@code callError} when the call failed; otherwise completes each topic's
     * future from its outcome (a per-topic error code becomes its exception, through
     * {@link GrpcErrors#fromCode}, with the broker's message). A topic the response leaves out fails
     * with UnknownServerException.
     *
     * @param outcomes reads the outcomes from the response; called only when the call succeeded
     */
    public static <R, V> void complete(Map<String, CompletableFuture<V>> futures, R response, Throwable callError,
                                       Function<R, List<Outcome<V>>> outcomes) {
        if (callError != null) {
            Throwable cause = Errors.unwrap(callError);
            futures.values().forEach(future -> future.completeExceptionally(cause));
            return;
        }
        for (Outcome<V> outcome : outcomes.apply(response)) {
            CompletableFuture<V> future = futures.get(outcome.name());
            if (future == null) {
                continue;
            }
            TributaryException error = GrpcErrors.fromCode(outcome.code(), outcome.message());
            if (error != null) {
                future.completeExceptionally(error);
                continue;
            }
            try {
                future.complete(outcome.value().get());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
        futures.forEach((name, future) -> future.completeExceptionally(GrpcErrors.fromCode(
                ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, "the broker sent no result for topic '" + name + "'")));
    }
}
