package io.tributary.common.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.InvalidRecordException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Parsing transaction markers: the layout, forward compatibility and every rejection. */
@Tag("unit")
class EndTransactionMarkerTest {

    @Test
    void testRoundTripBothTypes() {
        for (ControlRecordType type : ControlRecordType.values()) {
            EndTransactionMarker marker = new EndTransactionMarker(type, 42);
            assertEquals(marker, EndTransactionMarker.fromRecord(record(marker.keyBytes(), marker.valueBytes())));
        }
    }

    @Test
    void testNewerVersionsWithExtraFieldsAreAccepted() {
        byte[] key = {0, 1, 0, 0, 9, 9};
        byte[] value = {0, 3, 0, 0, 0, 7, 1, 2, 3};
        assertEquals(new EndTransactionMarker(ControlRecordType.ABORT, 7), EndTransactionMarker.fromRecord(record(key, value)));
    }

    @Test
    void testUnknownTypeIsRejected() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> EndTransactionMarker.fromRecord(record(new byte[] {0, 0, 0, 7}, new byte[6])));
        assertTrue(e.getMessage().contains("control record type 7"), e.getMessage());
    }

    @Test
    void testShortKeyOrValueIsRejected() {
        InvalidRecordException shortKey = assertThrows(InvalidRecordException.class,
                () -> EndTransactionMarker.fromRecord(record(new byte[] {0, 0, 0}, new byte[6])));
        assertTrue(shortKey.getMessage().contains("too short"), shortKey.getMessage());
        InvalidRecordException shortValue = assertThrows(InvalidRecordException.class,
                () -> EndTransactionMarker.fromRecord(record(new byte[4], new byte[5])));
        assertTrue(shortValue.getMessage().contains("value 5 bytes"), shortValue.getMessage());
    }

    @Test
    void testNegativeVersionIsRejected() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> EndTransactionMarker.fromRecord(record(new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 0}, new byte[6])));
        assertTrue(e.getMessage().contains("key version -1"), e.getMessage());
    }

    @Test
    void testNullKeyOrValueIsRejected() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> EndTransactionMarker.fromRecord(record(new byte[4], null)));
        assertTrue(e.getMessage().contains("null value"), e.getMessage());
    }

    private static Record record(byte[] key, byte[] value) {
        return new Record(3L, 0L, key, value, List.of());
    }
}
