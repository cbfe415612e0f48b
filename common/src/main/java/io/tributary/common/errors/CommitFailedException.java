package io.tributary.common.errors;

/**
 * An offset commit cannot succeed because the consumer is no longer a member of its group (it was
 * fenced, removed after its session timed out, or left after exceeding max.poll.interval.ms), or the
 * partitions moved to another member. Raised by the client itself, as Kafka's; the consumer rejoins
 * at its next poll.
 */
public class CommitFailedException extends TributaryException {

    public CommitFailedException(String message) {
        super(message);
    }

    public CommitFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
