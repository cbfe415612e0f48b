package io.tributary.storage.internal.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sparse offset index (DESIGN.md §3): 8-byte entries, binary search, trimming, sanity checks. */
@Tag("unit")
class OffsetIndexTest {

    private static final long BASE = 1_000;

    @TempDir
    Path dir;

    private OffsetIndex open(int maxBytes, boolean writable) throws IOException {
        return new OffsetIndex(FileIo.system(), dir.resolve("00000000000000001000.index"), BASE, maxBytes, writable);
    }

    @Test
    void lookupReturnsTheLastEntryAtOrBelowTheTargetOrTheSegmentStart() throws IOException {
        try (OffsetIndex index = open(1024, true)) {
            index.append(1_005, 100);
            index.append(1_010, 250);
            index.append(1_020, 400);
            assertEquals(new OffsetIndex.Entry(BASE, 0), index.lookup(1_004));
            assertEquals(new OffsetIndex.Entry(1_005, 100), index.lookup(1_005));
            assertEquals(new OffsetIndex.Entry(1_010, 250), index.lookup(1_019));
            assertEquals(new OffsetIndex.Entry(1_020, 400), index.lookup(Long.MAX_VALUE));
        }
    }

    @Test
    void lookupAgreesWithANaiveScanOnRandomEntries() throws IOException {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        TreeMap<Long, Integer> reference = new TreeMap<>();
        try (OffsetIndex index = open(8 * 1000, true)) {
            long offset = BASE;
            int position = 0;
            for (int i = 0; i < 1000; i++) {
                offset += 1 + random.nextInt(20);
                position += 1 + random.nextInt(500);
                index.append(offset, position);
                reference.put(offset, position);
            }
            for (int i = 0; i < 2000; i++) {
                long target = BASE + random.nextLong(offset - BASE + 100);
                var floor = reference.floorEntry(target);
                OffsetIndex.Entry expected = floor == null ? new OffsetIndex.Entry(BASE, 0)
                        : new OffsetIndex.Entry(floor.getKey(), floor.getValue());
                assertEquals(expected, index.lookup(target), "seed " + seed + ", target " + target);
            }
            assertTrue(index.isFull());
        }
    }

    @Test
    void entriesMustIncrease() throws IOException {
        try (OffsetIndex index = open(1024, true)) {
            index.append(1_005, 100);
            assertThrows(IllegalStateException.class, () -> index.append(1_005, 200));
            assertThrows(IllegalStateException.class, () -> index.append(1_006, 100));
            assertThrows(IllegalArgumentException.class, () -> index.append(BASE + Integer.MAX_VALUE + 1L, 300));
        }
    }

    @Test
    void isPreallocatedWhileWritableAndTrimmedToItsEntriesOnClose() throws IOException {
        Path file = dir.resolve("00000000000000001000.index");
        try (OffsetIndex index = open(8 * 100, true)) {
            index.append(1_001, 10);
            index.append(1_002, 20);
            assertEquals(800, Files.size(file));
            assertEquals(100, index.maxEntries());
        }
        assertEquals(16, Files.size(file));
        try (OffsetIndex reopened = open(8 * 100, false)) {
            assertEquals(2, reopened.entries());
            assertEquals(Optional.of(new OffsetIndex.Entry(1_002, 20)), reopened.lastEntry());
            assertTrue(reopened.isFull(), "a trimmed index has no room");
        }
    }

    @Test
    void trimAndResizeKeepTheEntries() throws IOException {
        try (OffsetIndex index = open(8 * 100, true)) {
            index.append(1_001, 10);
            index.trimToValidSize();
            assertEquals(8, Files.size(index.file()));
            index.resize(8 * 50);
            assertEquals(50, index.maxEntries());
            index.append(1_002, 20);
            assertEquals(new OffsetIndex.Entry(1_001, 10), index.lookup(1_001));
            assertEquals(new OffsetIndex.Entry(1_002, 20), index.lookup(1_003));
        }
    }

    @Test
    void truncateToDropsEntriesAtOrAboveTheOffset() throws IOException {
        try (OffsetIndex index = open(1024, true)) {
            index.append(1_005, 100);
            index.append(1_010, 250);
            index.append(1_020, 400);
            index.truncateTo(1_010);
            assertEquals(1, index.entries());
            assertEquals(new OffsetIndex.Entry(1_005, 100), index.lookup(1_050));
            index.append(1_008, 200);
            assertEquals(2, index.entries());
        }
    }

    @Test
    void sanityCheckAcceptsAGoodIndexAndRejectsCorruptOnes() throws Exception {
        try (OffsetIndex index = open(1024, true)) {
            index.append(1_005, 100);
            index.append(1_010, 250);
            index.sanityCheck(1_000);
            CorruptIndexException outside = assertThrows(CorruptIndexException.class, () -> index.sanityCheck(250));
            assertTrue(outside.getMessage().contains("outside the log"), outside.getMessage());
        }
        // A crash before the trim leaves a preallocated file whose zero tail does not increase.
        Path file = dir.resolve("00000000000000001000.index");
        try (FileHandle handle = FileIo.system().open(file, StandardOpenOption.WRITE)) {
            handle.writeFully(ByteBuffer.allocate(16), 16);
        }
        try (OffsetIndex preallocated = open(1024, false)) {
            assertThrows(CorruptIndexException.class, () -> preallocated.sanityCheck(10_000));
        }
        try (FileHandle handle = FileIo.system().open(file, StandardOpenOption.WRITE)) {
            handle.truncate(13);
        }
        try (OffsetIndex partial = open(1024, false)) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> partial.sanityCheck(10_000));
            assertTrue(e.getMessage().contains("multiple of 8"), e.getMessage());
        }
    }

    @Test
    void aClosedIndexRefusesLookups() throws IOException {
        OffsetIndex index = open(1024, true);
        index.close();
        index.close();
        assertThrows(IllegalStateException.class, () -> index.lookup(BASE));
        assertFalse(index.file().toString().isEmpty());
    }
}
