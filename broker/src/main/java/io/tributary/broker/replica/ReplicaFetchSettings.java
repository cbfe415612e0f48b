package io.tributary.broker.replica;

/**
 * How followers fetch.
 *
 * @param maxWaitMs how long a leader may hold a fetch with nothing to say (replica.fetch.wait.max.ms)
 * @param maxBytes record bytes per answer (replica.fetch.response.max.bytes)
 * @param partitionMaxBytes record bytes per partition per answer (replica.fetch.max.bytes)
 * @param backoffMs wait after a failed stream or a partition error (replica.fetch.backoff.ms)
 * @param responseTimeoutMs how long past maxWaitMs an answer may take before the stream is
 *     abandoned and reopened (replica.socket.timeout.ms)
 */
public record ReplicaFetchSettings(int maxWaitMs, int maxBytes, int partitionMaxBytes, long backoffMs,
                                   long responseTimeoutMs) {
}
