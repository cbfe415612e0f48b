package io.tributary.tools.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import io.tributary.tools.internal.OffsetReset.Kind;
import io.tributary.tools.internal.OffsetReset.Positions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class OffsetResetTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    /** Committed 50 in a log holding offsets 10..99 (log end 100); the timestamp lookup found 70. */
    private static final Positions POSITIONS = new Positions(50L, 10, 100, 70);
    private static final Positions NOTHING_COMMITTED = new Positions(null, 10, 100, -1);

    private final List<String> warnings = new ArrayList<>();

    private long reset(Kind kind, long value, Positions positions) {
        return new OffsetReset(kind, value).newOffset(TP, positions, warnings::add);
    }

    @Test
    void earliestLatestAndCurrentTakeThePartitionsPositions() {
        assertEquals(10, reset(Kind.EARLIEST, 0, POSITIONS));
        assertEquals(100, reset(Kind.LATEST, 0, POSITIONS));
        assertEquals(50, reset(Kind.CURRENT, 0, POSITIONS));
        assertEquals(100, reset(Kind.CURRENT, 0, NOTHING_COMMITTED), "no committed offset: the log end, as Kafka");
        assertEquals(List.of(), warnings);
    }

    @Test
    void toOffsetIsClampedToTheLogWithKafkasWarnings() {
        assertEquals(42, reset(Kind.OFFSET, 42, POSITIONS));
        assertEquals(100, reset(Kind.OFFSET, 1_000, POSITIONS));
        assertEquals(10, reset(Kind.OFFSET, -5, POSITIONS));
        assertEquals(List.of("New offset (1000) is higher than latest offset for topic partition t-0. Value will be set "
                + "to 100", "New offset (-5) is lower than earliest offset for topic partition t-0. Value will be set "
                + "to 10"), warnings);
    }

    @Test
    void shiftByMovesTheCommittedOffsetWithinTheLog() {
        assertEquals(55, reset(Kind.SHIFT, 5, POSITIONS));
        assertEquals(40, reset(Kind.SHIFT, -10, POSITIONS));
        assertEquals(10, reset(Kind.SHIFT, -1_000, POSITIONS));
        assertEquals(100, reset(Kind.SHIFT, Long.MAX_VALUE, POSITIONS));
        assertEquals(2, warnings.size(), warnings.toString());
    }

    @Test
    void shiftByWithoutACommittedOffsetIsAnErrorNamingThePartition() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> reset(Kind.SHIFT, 1, NOTHING_COMMITTED));
        assertEquals("cannot shift the offset of partition t-0: the group has no committed offset there",
                error.getMessage());
    }

    @Test
    void aTimestampTakesTheFirstOffsetAtOrAfterItElseTheLogEnd() {
        assertEquals(70, reset(Kind.TIMESTAMP, 1, POSITIONS));
        assertEquals(100, reset(Kind.TIMESTAMP, 1, NOTHING_COMMITTED));
    }

    @Test
    void dateTimesAreUtcUnlessAnOffsetIsGiven() {
        long utc = Instant.parse("2024-01-31T13:45:00.250Z").toEpochMilli();
        assertEquals(utc, OffsetReset.toDatetime("2024-01-31T13:45:00.250").value());
        assertEquals(utc, OffsetReset.toDatetime("2024-01-31T13:45:00.250Z").value());
        assertEquals(utc, OffsetReset.toDatetime("2024-01-31T14:45:00.250+01:00").value());
        assertEquals(utc - 250, OffsetReset.toDatetime("2024-01-31T13:45").value());
        assertEquals(Kind.TIMESTAMP, OffsetReset.toDatetime("2024-01-31T13:45:00.000").kind());
    }

    @Test
    void aMalformedDateTimeNamesTheFormat() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> OffsetReset.toDatetime("yesterday"));
        assertTrue(error.getMessage().startsWith("--to-datetime must look like 2024-01-31T13:45:00.000"),
                error.getMessage());
    }

    @Test
    void durationsCountBackFromNow() {
        assertEquals(1_000_000 - 5_400_000 - 86_400_000L, OffsetReset.byDuration("P1DT1H30M", 1_000_000).value());
        assertEquals(1_000_000, OffsetReset.byDuration("PT0S", 1_000_000).value());
    }

    @Test
    void malformedAndNegativeDurationsAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OffsetReset.byDuration("1h", 0)).getMessage()
                .startsWith("--by-duration must be an ISO-8601 duration PnDTnHnMnS"));
        assertEquals("--by-duration must not be negative; got 'PT-1H'",
                assertThrows(IllegalArgumentException.class, () -> OffsetReset.byDuration("PT-1H", 0)).getMessage());
    }
}
