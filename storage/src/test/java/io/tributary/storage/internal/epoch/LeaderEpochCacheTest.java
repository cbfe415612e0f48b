package io.tributary.storage.internal.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.storage.CorruptCheckpointException;
import io.tributary.storage.EpochEndOffset;
import io.tributary.storage.internal.epoch.LeaderEpochCache.EpochEntry;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader-epoch cache used for replica truncation, and its leader-epoch-checkpoint file. */
@Tag("unit")
class LeaderEpochCacheTest {

    @TempDir
    Path dir;

    private LeaderEpochCache cache() throws IOException {
        return LeaderEpochCache.load(FileIo.system(), dir);
    }

    @Test
    void onlyLargerEpochsAreAssignedAndEveryChangeIsPersisted() throws IOException {
        LeaderEpochCache cache = cache();
        assertTrue(cache.assign(1, 0));
        assertFalse(cache.assign(1, 5), "same epoch");
        assertFalse(cache.assign(0, 7), "older epoch");
        assertFalse(cache.assign(-1, 7), "no epoch");
        assertTrue(cache.assign(4, 10));
        assertEquals("0\n2\n1 0\n4 10\n", Files.readString(dir.resolve(LeaderEpochCache.FILE_NAME)));
        assertEquals(List.of(new EpochEntry(1, 0), new EpochEntry(4, 10)), cache().entries());
        assertTrue(cache.assign(6, 8), "a new epoch starting earlier replaces the entries it overlaps");
        assertEquals(List.of(new EpochEntry(1, 0), new EpochEntry(6, 8)), cache.entries());
    }

    @Test
    void endOffsetForEpochFollowsTheReplicaTruncationProtocol() throws IOException {
        LeaderEpochCache cache = cache();
        assertEquals(Optional.empty(), cache.endOffsetFor(1, 50));
        cache.assign(2, 10);
        cache.assign(5, 20);
        cache.assign(7, 35);
        assertEquals(Optional.of(new EpochEndOffset(7, 50)), cache.endOffsetFor(7, 50), "latest epoch ends at the LEO");
        assertEquals(Optional.of(new EpochEndOffset(5, 35)), cache.endOffsetFor(5, 50));
        assertEquals(Optional.of(new EpochEndOffset(5, 35)), cache.endOffsetFor(6, 50), "unknown epoch: the one below");
        assertEquals(Optional.of(new EpochEndOffset(1, 10)), cache.endOffsetFor(1, 50), "older than all known");
        assertEquals(Optional.empty(), cache.endOffsetFor(8, 50), "newer than all known");
    }

    @Test
    void truncationAtEitherEndKeepsTheCacheConsistentWithTheLog() throws IOException {
        LeaderEpochCache cache = cache();
        cache.assign(2, 10);
        cache.assign(5, 20);
        cache.assign(7, 35);
        cache.truncateFromEnd(35);
        assertEquals(Optional.of(5), cache.latestEpoch());
        cache.truncateFromStart(25);
        assertEquals(List.of(new EpochEntry(5, 25)), cache.entries());
        cache.truncateFromStart(3);
        assertEquals(List.of(new EpochEntry(5, 25)), cache.entries(), "nothing below the first entry to drop");
        assertEquals(List.of(new EpochEntry(5, 25)), cache().entries(), "persisted");
    }

    @Test
    void anOutOfOrderCheckpointFailsLoudly() throws IOException {
        Files.writeString(dir.resolve(LeaderEpochCache.FILE_NAME), "0\n2\n5 20\n3 30\n");
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, this::cache);
        assertEquals(4, e.line());
    }
}
