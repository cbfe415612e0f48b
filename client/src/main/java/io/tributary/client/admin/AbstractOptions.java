package io.tributary.client.admin;

/**
 * What every {@link Admin} call's options share: an optional timeout for the whole call. Options
 * objects are plain mutable holders; build one per call and do not share it between threads while
 * changing it.
 *
 * @param <T> the concrete options type, returned by the setters for chaining
 */
public abstract class AbstractOptions<T extends AbstractOptions<T>> {

    private Integer timeoutMs;

    /**
     * Bounds the whole call, retries included; {@code null} means {@code default.api.timeout.ms}.
     *
     * @throws IllegalArgumentException when negative
     */
    @SuppressWarnings("unchecked")
    public T timeoutMs(Integer timeoutMs) {
        if (timeoutMs != null && timeoutMs < 0) {
            throw new IllegalArgumentException("timeoutMs must not be negative: " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
        return (T) this;
    }

    /** The call timeout, or {@code null} for the client's {@code default.api.timeout.ms}. */
    public Integer timeoutMs() {
        return timeoutMs;
    }
}
