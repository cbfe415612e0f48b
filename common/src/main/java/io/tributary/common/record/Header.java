package io.tributary.common.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record header: a non-null UTF-8 key and a nullable value.
 *
 * <p>The value array is not copied; treat it as immutable once handed over, and the header is then
 * safe to share between threads. Equality compares the value's contents, so decoded headers compare
 * equal to the ones appended.
 *
 * @param key   the header key, never null (the v2 format has no null header keys)
 * @param value the header value, or null
 */
public record Header(String key, byte[] value) {

    public Header {
        Objects.requireNonNull(key, "header key");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Header that && key.equals(that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header(key=" + key + ", value=" + (value == null ? "null" : value.length + " bytes") + ")";
    }
}
