package io.tributary.quorum.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.raft.ElectionState;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.RaftLog;
import io.tributary.quorum.raft.sim.SimRaftLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class FileRaftLogTest {

    @TempDir
    Path dir;

    private static LogEntry entry(long offset, int epoch, String data) {
        return new LogEntry(offset, epoch, false, data.getBytes());
    }

    @Test
    void entriesEpochsAndTruncationSurviveAReopen() {
        try (FileRaftLog log = new FileRaftLog(dir.resolve("__cluster_metadata-0"))) {
            log.append(List.of(new LogEntry(0, 1, true, null), entry(1, 1, "a"), entry(2, 1, "b")));
            log.append(List.of(new LogEntry(3, 3, true, null), entry(4, 3, "c")));
            assertEquals(5, log.endOffset());
            assertEquals(3, log.lastEpoch());
            assertEquals(0, log.flushedEndOffset(), "appends are not durable before a flush");
            log.flush();
            assertEquals(5, log.flushedEndOffset());
            assertEquals(new OffsetAndEpoch(3, 1), log.endOffsetForEpoch(2), "epoch 2 is absent: epoch 1 ends at 3");
            assertEquals(new OffsetAndEpoch(5, 3), log.endOffsetForEpoch(3));
            assertEquals(1, log.epochAt(2));
            log.truncateTo(4);
            assertEquals(4, log.flushedEndOffset());
            log.flush();
        }
        try (FileRaftLog reopened = new FileRaftLog(dir.resolve("__cluster_metadata-0"))) {
            assertEquals(4, reopened.endOffset());
            List<LogEntry> entries = reopened.read(0, 10);
            assertEquals(4, entries.size());
            assertTrue(entries.get(0).control());
            assertArrayEquals("b".getBytes(), entries.get(2).data());
            assertEquals(3, entries.get(3).epoch());
            assertEquals(List.of(entries.get(1), entries.get(2)), reopened.read(1, 2));
        }
    }

    /** Ten entries: epoch 1 at 0..3, epoch 3 at 4..7, epoch 5 at 8..9. */
    private static List<LogEntry> tenEntries() {
        return List.of(new LogEntry(0, 1, true, null), entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c"),
                new LogEntry(4, 3, true, null), entry(5, 3, "d"), entry(6, 3, "e"), entry(7, 3, "f"),
                new LogEntry(8, 5, true, null), entry(9, 5, "g"));
    }

    private static long segmentFiles(Path logDir) throws IOException {
        try (Stream<Path> files = Files.list(logDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).count();
        }
    }

    @Test
    void aSnapshotReplacesThePrefixAndTheLogStartsAtItAfterAReopen() throws Exception {
        Path logDir = dir.resolve("__cluster_metadata-0");
        OffsetAndEpoch id = new OffsetAndEpoch(6, 3);
        try (FileRaftLog log = new FileRaftLog(logDir, 200)) {
            tenEntries().forEach(entry -> log.append(List.of(entry))); // one append fills one segment at most
            log.flush();
            long segmentsBefore = segmentFiles(logDir);
            log.createSnapshot(id, "state@6".getBytes());
            assertEquals(Optional.of(id), log.latestSnapshot());
            assertEquals(0, log.startOffset(), "creating a snapshot deletes nothing yet");
            log.deletePrefix(id);
            assertEquals(6, log.startOffset());
            assertTrue(segmentFiles(logDir) < segmentsBefore, "segments wholly below the snapshot are deleted");
            assertEquals(3, log.epochAt(5), "the snapshot stands for the entry before the log start");
            assertEquals(List.of(entry(6, 3, "e"), entry(7, 3, "f")), log.read(6, 2));
            assertThrows(IllegalArgumentException.class, () -> log.read(5, 1));
            assertThrows(IllegalArgumentException.class, () -> log.epochAt(4));
        }
        assertTrue(Files.exists(logDir.resolve("00000000000000000006-0000000003.checkpoint")));
        try (FileRaftLog reopened = new FileRaftLog(logDir, 200)) {
            assertEquals(6, reopened.startOffset());
            assertEquals(10, reopened.endOffset());
            assertEquals(Optional.of(id), reopened.latestSnapshot());
            assertEquals(7, reopened.snapshotSizeBytes(id));
            assertArrayEquals("state".getBytes(), reopened.readSnapshot(id, 0, 5));
            assertArrayEquals("@6".getBytes(), reopened.readSnapshot(id, 5, 100), "fewer bytes at the end");
            assertArrayEquals(new byte[0], reopened.readSnapshot(id, 7, 100));
            assertThrows(IllegalArgumentException.class, () -> reopened.readSnapshot(id, 8, 1));
            assertEquals(new OffsetAndEpoch(6, 3), reopened.endOffsetForEpoch(1),
                    "an epoch that ended inside the deleted prefix: the snapshot id");
            assertEquals(new OffsetAndEpoch(8, 3), reopened.endOffsetForEpoch(4));
        }
    }

    @Test
    void snapshotsThatDoNotEndAtAnEntryOrAreNotTheLatestAreRefused() {
        try (FileRaftLog log = new FileRaftLog(dir.resolve("__cluster_metadata-0"))) {
            log.append(tenEntries());
            assertThrows(IllegalArgumentException.class, () -> log.createSnapshot(new OffsetAndEpoch(11, 5), new byte[1]),
                    "past the log end");
            assertThrows(IllegalArgumentException.class, () -> log.createSnapshot(new OffsetAndEpoch(6, 1), new byte[1]),
                    "the entry at 5 has epoch 3");
            assertThrows(IllegalArgumentException.class, () -> log.createSnapshot(new OffsetAndEpoch(0, 0), new byte[1]),
                    "nothing to cover");
            log.createSnapshot(new OffsetAndEpoch(4, 1), new byte[1]);
            assertThrows(IllegalArgumentException.class, () -> log.readSnapshot(new OffsetAndEpoch(2, 1), 0, 1));
            assertThrows(IllegalArgumentException.class, () -> log.deletePrefix(new OffsetAndEpoch(2, 1)));
            assertThrows(IllegalArgumentException.class, () -> log.snapshotSizeBytes(new OffsetAndEpoch(8, 3)));
        }
    }

    @Test
    void installingASnapshotDiscardsTheWholeLogAndSmallerEpochsFollowIt() {
        Path logDir = dir.resolve("__cluster_metadata-0");
        OffsetAndEpoch id = new OffsetAndEpoch(6, 2);
        try (FileRaftLog log = new FileRaftLog(logDir)) {
            // A deposed leader's uncommitted entries of epoch 7, beyond the snapshot the new leader sends.
            log.append(List.of(new LogEntry(0, 1, true, null), entry(1, 1, "a"), new LogEntry(2, 7, true, null),
                    entry(3, 7, "x"), entry(4, 7, "y"), entry(5, 7, "z"), entry(6, 7, "w"), entry(7, 7, "v")));
            log.flush();
            log.installSnapshot(id, "leader state".getBytes());
            assertEquals(6, log.startOffset());
            assertEquals(6, log.endOffset());
            assertEquals(6, log.flushedEndOffset(), "an installed snapshot is durable");
            assertEquals(2, log.lastEpoch(), "the snapshot's epoch, not the discarded entries'");
            assertEquals(id, log.endOffsetForEpoch(7));
            log.append(List.of(entry(6, 4, "next")));
            assertEquals(4, log.lastEpoch(), "epoch 4 is recorded though the discarded data had epoch 7");
            assertEquals(new OffsetAndEpoch(6, 2), log.endOffsetForEpoch(3));
            log.flush();
        }
        try (FileRaftLog reopened = new FileRaftLog(logDir)) {
            assertEquals(Optional.of(id), reopened.latestSnapshot());
            assertEquals(6, reopened.startOffset());
            assertEquals(List.of(entry(6, 4, "next")), reopened.read(6, 10));
            assertArrayEquals("leader state".getBytes(), reopened.readSnapshot(id, 0, 100));
        }
    }

    @Test
    void aCrashDuringAnInstallLeavesTheSnapshotWithNoEntryAfterIt() throws Exception {
        Path logDir = dir.resolve("__cluster_metadata-0");
        try (FileRaftLog log = new FileRaftLog(logDir)) {
            log.append(List.of(new LogEntry(0, 1, true, null), new LogEntry(1, 7, true, null), entry(2, 7, "x")));
            log.flush();
        }
        // What installSnapshot leaves when it stops after writing the snapshot: the old entries, all below it.
        new SnapshotFiles(logDir).write(new OffsetAndEpoch(3, 2), "s".getBytes());
        try (FileRaftLog reopened = new FileRaftLog(logDir)) {
            assertEquals(3, reopened.startOffset());
            assertEquals(3, reopened.endOffset());
            assertEquals(2, reopened.lastEpoch());
            reopened.append(List.of(new LogEntry(3, 5, true, null)));
            assertEquals(5, reopened.lastEpoch(), "the old data's epoch 7 was forgotten");
            assertEquals(new OffsetAndEpoch(3, 2), reopened.endOffsetForEpoch(4));
        }
    }

    @Test
    void aTornTemporarySnapshotIsDeletedAndACorruptOneIgnored() throws Exception {
        Path logDir = dir.resolve("__cluster_metadata-0");
        try (FileRaftLog log = new FileRaftLog(logDir)) {
            log.append(tenEntries());
            log.flush();
            log.createSnapshot(new OffsetAndEpoch(4, 1), "four".getBytes());
        }
        Path torn = logDir.resolve("00000000000000000008-0000000003.checkpoint.tmp");
        Files.write(torn, new byte[] {1, 2, 3});
        Path corrupt = logDir.resolve("00000000000000000006-0000000003.checkpoint");
        new SnapshotFiles(logDir).write(new OffsetAndEpoch(6, 3), "six".getBytes());
        byte[] bytes = Files.readAllBytes(corrupt);
        bytes[bytes.length - 1] ^= 1;
        Files.write(corrupt, bytes);
        try (FileRaftLog reopened = new FileRaftLog(logDir)) {
            assertTrue(Files.notExists(torn), "a temporary file is what a crash during a write leaves: deleted");
            assertEquals(Optional.of(new OffsetAndEpoch(4, 1)), reopened.latestSnapshot(),
                    "the newest snapshot fails its checksum: the latest valid one is used");
            assertEquals(4, reopened.startOffset());
            assertEquals(10, reopened.endOffset());
        }
    }

    @Test
    void aLogStartingAfterZeroWithoutACoveringSnapshotIsRefused() throws Exception {
        Path logDir = dir.resolve("__cluster_metadata-0");
        OffsetAndEpoch id = new OffsetAndEpoch(8, 3);
        try (FileRaftLog log = new FileRaftLog(logDir, 200)) {
            tenEntries().forEach(entry -> log.append(List.of(entry))); // one append fills one segment at most
            log.flush();
            log.createSnapshot(id, "eight".getBytes());
            log.deletePrefix(id);
        }
        Files.delete(logDir.resolve(SnapshotFiles.fileName(id)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new FileRaftLog(logDir, 200));
        assertTrue(e.getMessage().contains("no snapshot covers the offsets below it"), e.getMessage());
    }

    @Test
    void answersEndOffsetForEpochExactlyAsTheSimulatorsLogDoes() {
        List<LogEntry> entries = List.of(new LogEntry(0, 2, true, null), entry(1, 2, "a"), new LogEntry(2, 4, true, null),
                entry(3, 4, "b"), new LogEntry(4, 7, true, null));
        SimRaftLog reference = new SimRaftLog();
        try (FileRaftLog log = new FileRaftLog(dir.resolve("__cluster_metadata-0"))) {
            for (int epoch = 0; epoch <= 9; epoch++) {
                assertEquals(reference.endOffsetForEpoch(epoch), log.endOffsetForEpoch(epoch), "empty log, epoch " + epoch);
            }
            reference.append(entries);
            log.append(entries);
            for (int epoch = 0; epoch <= 9; epoch++) {
                assertEquals(reference.endOffsetForEpoch(epoch), log.endOffsetForEpoch(epoch), "epoch " + epoch);
            }
            reference.truncateTo(3);
            log.truncateTo(3);
            for (int epoch = 0; epoch <= 9; epoch++) {
                assertEquals(reference.endOffsetForEpoch(epoch), log.endOffsetForEpoch(epoch),
                        "after truncation, epoch " + epoch);
            }
            List<LogEntry> more = List.of(entry(3, 4, "c"), new LogEntry(4, 6, true, null), entry(5, 6, "d"));
            reference.append(more);
            log.append(more);
            OffsetAndEpoch snapshot = new OffsetAndEpoch(4, 4);
            for (RaftLog each : List.of(reference, log)) {
                each.createSnapshot(snapshot, new byte[] {4});
                each.deletePrefix(snapshot);
            }
            for (int epoch = 0; epoch <= 9; epoch++) {
                assertEquals(reference.endOffsetForEpoch(epoch), log.endOffsetForEpoch(epoch),
                        "after a snapshot at 4, epoch " + epoch);
                assertEquals(reference.lastEpoch(), log.lastEpoch());
            }
            OffsetAndEpoch installed = new OffsetAndEpoch(9, 5);
            reference.installSnapshot(installed, new byte[0]);
            log.installSnapshot(installed, new byte[0]);
            for (int epoch = 0; epoch <= 9; epoch++) {
                assertEquals(reference.endOffsetForEpoch(epoch), log.endOffsetForEpoch(epoch),
                        "after installing a snapshot at 9, epoch " + epoch);
                assertEquals(reference.lastEpoch(), log.lastEpoch());
            }
        }
    }

    @Test
    void quorumStateIsReplacedAtomicallyAndAnUnreadableFileIsNamed() throws Exception {
        FileQuorumStateStore store = new FileQuorumStateStore(dir);
        assertEquals(ElectionState.initial(), store.read());
        store.write(new ElectionState(7, 2, -1));
        store.write(new ElectionState(8, 3, 3));
        assertEquals(new ElectionState(8, 3, 3), new FileQuorumStateStore(dir).read());
        assertTrue(Files.notExists(dir.resolve("quorum-state.tmp")));
        store.write(ElectionState.rejoining());
        assertEquals(ElectionState.rejoining(), new FileQuorumStateStore(dir).read(), "the catching-up flag survives");
        assertTrue(Files.readString(dir.resolve("quorum-state")).startsWith("version=2\n"),
                "a version that does not know the flag refuses the file");
        store.write(new ElectionState(9, -1, 2));
        assertTrue(Files.readString(dir.resolve("quorum-state")).startsWith("version=1\n"));
        Files.writeString(dir.resolve("quorum-state"), "version=3\nepoch=1\nvotedFor=-1\nleaderId=-1\n");
        assertThrows(IllegalStateException.class, store::read);
        Files.writeString(dir.resolve("quorum-state"), "version=1\nepoch=banana\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, store::read);
        assertTrue(e.getMessage().contains("quorum-state"), e.getMessage());
    }
}
