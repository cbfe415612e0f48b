package io.tributary.storage.internal.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sparse time index (DESIGN.md §3): 12-byte entries, increasing timestamps, a reserved last slot. */
@Tag("unit")
class TimeIndexTest {

    private static final long BASE = 500;

    @TempDir
    Path dir;

    private TimeIndex open(int maxBytes) throws IOException {
        return new TimeIndex(FileIo.system(), dir.resolve("00000000000000000500.timeindex"), BASE, maxBytes, true);
    }

    @Test
    void onlyIncreasingTimestampsAreRecorded() throws IOException {
        try (TimeIndex index = open(12 * 10)) {
            index.maybeAppend(100, 510, false);
            index.maybeAppend(100, 520, false);
            index.maybeAppend(90, 530, false);
            index.maybeAppend(150, 540, false);
            assertEquals(2, index.entries());
            assertEquals(Optional.of(new TimeIndex.Entry(150, 540)), index.lastEntry());
            assertThrows(IllegalStateException.class, () -> index.maybeAppend(200, 530, false));
        }
    }

    @Test
    void lookupReturnsTheLastEntryAtOrBelowTheTarget() throws IOException {
        try (TimeIndex index = open(12 * 10)) {
            index.maybeAppend(100, 510, false);
            index.maybeAppend(200, 520, false);
            assertEquals(new TimeIndex.Entry(TimeIndex.NO_TIMESTAMP, BASE), index.lookup(99));
            assertEquals(new TimeIndex.Entry(100, 510), index.lookup(100));
            assertEquals(new TimeIndex.Entry(100, 510), index.lookup(199));
            assertEquals(new TimeIndex.Entry(200, 520), index.lookup(5_000));
        }
    }

    @Test
    void theLastSlotIsReservedForTheEntryWrittenOnRoll() throws IOException {
        try (TimeIndex index = open(12 * 3)) {
            index.maybeAppend(100, 510, false);
            assertFalse(index.isFull());
            index.maybeAppend(200, 520, false);
            assertTrue(index.isFull(), "full one entry early");
            index.maybeAppend(300, 530, false);
            assertEquals(2, index.entries(), "a regular append skips the reserved slot");
            index.maybeAppend(300, 530, true);
            assertEquals(3, index.entries());
        }
    }

    @Test
    void closeTrimsAndSanityCheckCatchesEntriesPastTheSegment() throws Exception {
        Path file = dir.resolve("00000000000000000500.timeindex");
        try (TimeIndex index = open(12 * 100)) {
            index.maybeAppend(100, 510, false);
            index.maybeAppend(200, 520, false);
            index.truncateTo(520);
            assertEquals(1, index.entries());
            index.maybeAppend(300, 515, false);
        }
        assertEquals(24, Files.size(file));
        try (TimeIndex reopened = new TimeIndex(FileIo.system(), file, BASE, 12 * 100, false)) {
            reopened.sanityCheck(516);
            CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> reopened.sanityCheck(515));
            assertTrue(e.getMessage().contains("past the segment"), e.getMessage());
        }
    }
}
