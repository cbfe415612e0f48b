package io.tributary.client;

import io.tributary.common.record.Header;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The ordered headers of one record. Keys may repeat; {@link #lastHeader} returns the last one added.
 * A producer record's headers become read-only when the record is sent, so an interceptor or a retry
 * never sees them change. Not thread-safe.
 */
public final class Headers implements Iterable<Header> {

    private final List<Header> headers;
    private boolean readOnly;

    public Headers() {
        this.headers = new ArrayList<>();
    }

    public Headers(Iterable<Header> initial) {
        this();
        if (initial != null) {
            initial.forEach(this::add);
        }
    }

    /** Appends a header. */
    public Headers add(Header header) {
        ensureWritable();
        headers.add(Objects.requireNonNull(header, "header"));
        return this;
    }

    /** Appends a header with a nullable value. */
    public Headers add(String key, byte[] value) {
        return add(new Header(key, value));
    }

    /** Removes every header with {@code key}. */
    public Headers remove(String key) {
        ensureWritable();
        headers.removeIf(h -> h.key().equals(key));
        return this;
    }

    /** The last header with {@code key}, or null. */
    public Header lastHeader(String key) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(key)) {
                return headers.get(i);
            }
        }
        return null;
    }

    /** Every header with {@code key}, in order. */
    public List<Header> headers(String key) {
        List<Header> matching = new ArrayList<>();
        for (Header header : headers) {
            if (header.key().equals(key)) {
                matching.add(header);
            }
        }
        return matching;
    }

    /** All headers, in order, as an unmodifiable view. */
    public List<Header> asList() {
        return Collections.unmodifiableList(headers);
    }

    public int size() {
        return headers.size();
    }

    /** Forbids further changes (done when the record is handed to the producer's accumulator). */
    public void setReadOnly() {
        readOnly = true;
    }

    private void ensureWritable() {
        if (readOnly) {
            throw new IllegalStateException("the record's headers are read-only once the record was sent");
        }
    }

    @Override
    public Iterator<Header> iterator() {
        return asList().iterator();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Headers that && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return headers.hashCode();
    }

    @Override
    public String toString() {
        return headers.toString();
    }
}
