package io.tributary.client.admin.internal;

import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.tributary.common.Time;
import io.tributary.common.errors.TimeoutException;

/** When an admin call must have finished, measured on the monotonic clock. Immutable. */
public final class Deadline {

    private final Time time;
    private final long startNs;
    private final long timeoutMs;

    public Deadline(Time time, long timeoutMs) {
        this.time = time;
        this.startNs = time.nanoseconds();
        this.timeoutMs = timeoutMs;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    public long elapsedMs() {
        return (time.nanoseconds() - startNs) / 1_000_000L;
    }

    /** Milliseconds left; zero or negative once the deadline has passed. */
    public long remainingMs() {
        return timeoutMs - elapsedMs();
    }

    /**
     * The exception for a call that ran out of time, e.g. {@code "createTopics timed out after 1500 ms;
     * last error: UNAVAILABLE from 127.0.0.1:1: io exception (Connection refused)"}.
     *
     * @param call      the call's name, and the partition when it is about one
     * @param lastError the last failure seen, or null
     * @param otherwise what to say when nothing failed yet, e.g. "no answer yet from host:port"
     */
    public TimeoutException timeout(String call, Throwable lastError, String otherwise) {
        String last = lastError != null ? "last error: " + describe(lastError) : otherwise;
        return new TimeoutException(call + " timed out after " + elapsedMs() + " ms; " + last, lastError);
    }

    /**
     * The error's message, plus its root cause's message when that adds something: the transport
     * failure under an UNAVAILABLE status (e.g. "Connection refused"), not the status itself, whose
     * code and description the message already gives.
     */
    public static String describe(Throwable error) {
        String text = error.getMessage() != null ? error.getMessage() : error.toString();
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        boolean status = root instanceof StatusRuntimeException || root instanceof StatusException;
        if (root != error && !status && root.getMessage() != null && !text.contains(root.getMessage())) {
            text += " (" + root.getMessage() + ")";
        }
        return text;
    }
}
