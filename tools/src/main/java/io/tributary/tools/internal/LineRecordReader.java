package io.tributary.tools.internal;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.common.record.Header;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns lines of text into records, the way Kafka's console producer reads its input. Each line is
 * {@code [headers<headers.delimiter>][key<key.separator>]value}; headers are
 * {@code k1<headers.key.separator>v1<headers.separator>k2...}. Properties (Kafka's names and defaults):
 * {@code parse.key} (false), {@code key.separator} (tab), {@code parse.headers} (false),
 * {@code headers.delimiter} (tab), {@code headers.separator} (","), {@code headers.key.separator}
 * (":"), {@code ignore.error} (false: a line without a separator fails instead of being read as a
 * value), {@code null.marker} (unset: a key, value or header value equal to it becomes null).
 * Separators are literal strings; an empty headers section means no headers. Not thread-safe.
 */
public final class LineRecordReader {

    private final String topic;
    private final boolean parseKey;
    private final String keySeparator;
    private final boolean parseHeaders;
    private final String headersDelimiter;
    private final String headersSeparator;
    private final String headersKeySeparator;
    private final boolean ignoreError;
    private final String nullMarker;
    private int lineNumber;

    /**
     * @throws IllegalArgumentException when two separators that must differ are equal
     */
    public LineRecordReader(String topic, Map<String, String> properties) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.parseKey = flag(properties, "parse.key");
        this.keySeparator = properties.getOrDefault("key.separator", "\t");
        this.parseHeaders = flag(properties, "parse.headers");
        this.headersDelimiter = properties.getOrDefault("headers.delimiter", "\t");
        this.headersSeparator = properties.getOrDefault("headers.separator", ",");
        this.headersKeySeparator = properties.getOrDefault("headers.key.separator", ":");
        this.ignoreError = flag(properties, "ignore.error");
        this.nullMarker = properties.get("null.marker");
        requireDifferent("headers.delimiter", headersDelimiter, "headers.separator", headersSeparator);
        requireDifferent("headers.delimiter", headersDelimiter, "headers.key.separator", headersKeySeparator);
        requireDifferent("headers.separator", headersSeparator, "headers.key.separator", headersKeySeparator);
        requireDifferent("null.marker", nullMarker, "key.separator", keySeparator);
        requireDifferent("null.marker", nullMarker, "headers.separator", headersSeparator);
        requireDifferent("null.marker", nullMarker, "headers.delimiter", headersDelimiter);
        requireDifferent("null.marker", nullMarker, "headers.key.separator", headersKeySeparator);
        for (String separator : List.of(keySeparator, headersDelimiter, headersSeparator, headersKeySeparator)) {
            if (separator.isEmpty()) {
                throw new IllegalArgumentException("separators must not be empty");
            }
        }
    }

    private static boolean flag(Map<String, String> properties, String key) {
        return properties.getOrDefault(key, "false").trim().equalsIgnoreCase("true");
    }

    private static void requireDifferent(String name, String value, String otherName, String other) {
        if (value != null && value.equals(other)) {
            throw new IllegalArgumentException(name + " and " + otherName + " may not be equal");
        }
    }

    /**
     * Reads the next line as a record.
     *
     * @return the record, or null at the end of the input
     * @throws IllegalArgumentException naming the line when a separator is missing (unless ignore.error)
     * @throws UncheckedIOException when reading fails
     */
    public ProducerRecord<byte[], byte[]> next(BufferedReader input) {
        String line;
        try {
            line = input.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the input: " + e.getMessage(), e);
        }
        if (line == null) {
            return null;
        }
        lineNumber++;
        return parse(line);
    }

    /** Parses one line (without its line terminator). */
    ProducerRecord<byte[], byte[]> parse(String line) {
        String headers = section(parseHeaders, line, 0, headersDelimiter, "headers delimiter");
        int keyStart = headers == null ? 0 : headers.length() + headersDelimiter.length();
        String key = section(parseKey, line, keyStart, keySeparator, "key separator");
        int valueStart = keyStart + (key == null ? 0 : key.length() + keySeparator.length());
        String value = line.substring(valueStart);
        List<Header> parsedHeaders = headers == null || headers.isEmpty() || headers.equals(nullMarker)
                ? List.of() : headers(headers);
        return new ProducerRecord<>(topic, null, null, bytesOrNull(key), bytesOrNull(value), parsedHeaders);
    }

    private String section(boolean enabled, String line, int start, String separator, String what) {
        if (!enabled) {
            return null;
        }
        int end = line.indexOf(separator, start);
        if (end < 0) {
            if (ignoreError) {
                return null;
            }
            throw new IllegalArgumentException("no " + what + " found on line " + lineNumber + ": '" + line + "'");
        }
        return line.substring(start, end);
    }

    private List<Header> headers(String text) {
        List<Header> headers = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf(headersSeparator, start);
            String pair = text.substring(start, end < 0 ? text.length() : end);
            headers.add(header(pair));
            if (end < 0) {
                break;
            }
            start = end + headersSeparator.length();
        }
        return headers;
    }

    private Header header(String pair) {
        int split = pair.indexOf(headersKeySeparator);
        if (split < 0) {
            if (ignoreError) {
                return new Header(pair, null);
            }
            throw new IllegalArgumentException("no header key separator found in '" + pair + "' on line " + lineNumber);
        }
        String key = pair.substring(0, split);
        if (key.equals(nullMarker)) {
            throw new IllegalArgumentException("a header key may not be the null marker '" + nullMarker + "' (line "
                    + lineNumber + ")");
        }
        return new Header(key, bytesOrNull(pair.substring(split + headersKeySeparator.length())));
    }

    private byte[] bytesOrNull(String text) {
        return text == null || text.equals(nullMarker) ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
