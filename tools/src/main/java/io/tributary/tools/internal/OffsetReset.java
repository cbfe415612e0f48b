package io.tributary.tools.internal;

import io.tributary.common.TopicPartition;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

/**
 * Where {@code consumer-groups --reset-offsets} moves a group in each partition, with Kafka's rules:
 * {@code --to-offset} and {@code --shift-by} are clamped to the partition's [log start, log end]
 * (with a warning); {@code --to-current} keeps the committed offset, or takes the log end where there
 * is none; a timestamp with no record at or after it takes the log end. Immutable.
 *
 * @param kind  which reset
 * @param value the offset ({@link Kind#OFFSET}), the shift ({@link Kind#SHIFT}) or the timestamp in
 *              ms ({@link Kind#TIMESTAMP}); 0 for the others
 */
public record OffsetReset(Kind kind, long value) {

    /** The kinds of reset. */
    public enum Kind { EARLIEST, LATEST, CURRENT, OFFSET, SHIFT, TIMESTAMP }

    /**
     * What is known of one partition.
     *
     * @param committed   the group's committed offset, or null when it has none
     * @param logStart    the log start offset
     * @param logEnd      the log end offset (the high watermark)
     * @param atTimestamp the first offset at or after the reset's timestamp, -1 when there is none;
     *                    only read for {@link Kind#TIMESTAMP}
     */
    public record Positions(Long committed, long logStart, long logEnd, long atTimestamp) {
    }

    /**
     * {@code --to-datetime}: ISO-8601 {@code YYYY-MM-DDTHH:mm:SS.sss}, with an optional offset
     * ({@code Z}, {@code +01:00}); without one the time is UTC, as in Kafka.
     *
     * @throws IllegalArgumentException naming the expected format
     */
    public static OffsetReset toDatetime(String text) {
        try {
            return new OffsetReset(Kind.TIMESTAMP, OffsetDateTime.parse(text).toInstant().toEpochMilli());
        } catch (DateTimeParseException withoutOffset) {
            try {
                return new OffsetReset(Kind.TIMESTAMP, LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--to-datetime must look like 2024-01-31T13:45:00.000 (UTC unless "
                        + "an offset such as Z or +01:00 follows); got '" + text + "'", e);
            }
        }
    }

    /**
     * {@code --by-duration}: the timestamp {@code text} (an ISO-8601 duration such as {@code PT1H30M}
     * or {@code P1DT2H}) before {@code nowMs}.
     *
     * @throws IllegalArgumentException for a malformed or negative duration
     */
    public static OffsetReset byDuration(String text, long nowMs) {
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--by-duration must be an ISO-8601 duration PnDTnHnMnS such as P1DT2H "
                    + "or PT30M; got '" + text + "'", e);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("--by-duration must not be negative; got '" + text + "'");
        }
        return new OffsetReset(Kind.TIMESTAMP, nowMs - duration.toMillis());
    }

    /**
     * The partition's new offset.
     *
     * @param warnings told when an offset was clamped, in Kafka's words
     * @throws IllegalArgumentException for {@link Kind#SHIFT} when the group has no committed offset
     */
    public long newOffset(TopicPartition tp, Positions positions, Consumer<String> warnings) {
        return switch (kind) {
            case EARLIEST -> positions.logStart();
            case LATEST -> positions.logEnd();
            case CURRENT -> positions.committed() != null ? positions.committed() : positions.logEnd();
            case OFFSET -> clamp(tp, value, positions, warnings);
            case SHIFT -> {
                if (positions.committed() == null) {
                    throw new IllegalArgumentException("cannot shift the offset of partition " + tp
                            + ": the group has no committed offset there");
                }
                long shifted = value >= 0 ? saturatedAdd(positions.committed(), value) : positions.committed() + value;
                yield clamp(tp, shifted, positions, warnings);
            }
            case TIMESTAMP -> positions.atTimestamp() >= 0 ? positions.atTimestamp() : positions.logEnd();
        };
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }

    private static long clamp(TopicPartition tp, long offset, Positions positions, Consumer<String> warnings) {
        if (offset > positions.logEnd()) {
            warnings.accept("New offset (" + offset + ") is higher than latest offset for topic partition " + tp
                    + ". Value will be set to " + positions.logEnd());
            return positions.logEnd();
        }
        if (offset < positions.logStart()) {
            warnings.accept("New offset (" + offset + ") is lower than earliest offset for topic partition " + tp
                    + ". Value will be set to " + positions.logStart());
            return positions.logStart();
        }
        return offset;
    }
}
