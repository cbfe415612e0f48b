package io.tributary.quorum.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.raft.ElectionState;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void answersEndOffsetForEpochExactlyAsTheSimulatorsLogDoes() {
        List<LogEntry> entries = List.of(new LogEntry(0, 2, true, null), entry(1, 2, "a"), new LogEntry(2, 4, true, null),
                entry(3, 4, "b"), new LogEntry(4, 7, true, null));
        io.tributary.quorum.raft.sim.SimRaftLog reference = new io.tributary.quorum.raft.sim.SimRaftLog();
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
        }
    }

    @Test
    void aLogWhoseEpochCheckpointDisagreesWithItsDataIsRefused() throws Exception {
        Path logDir = dir.resolve("__cluster_metadata-0");
        try (FileRaftLog log = new FileRaftLog(logDir)) {
            log.append(List.of(new LogEntry(0, 1, true, null), entry(1, 1, "a")));
            log.flush();
        }
        // What an undone truncation leaves behind: the checkpoint names an epoch the data does not end with.
        Files.writeString(logDir.resolve("leader-epoch-checkpoint"), "0\n2\n1 0\n4 1\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new FileRaftLog(logDir));
        assertTrue(e.getMessage().contains("leader-epoch checkpoint says 4"), e.getMessage());
    }

    @Test
    void quorumStateIsReplacedAtomicallyAndAnUnreadableFileIsNamed() throws Exception {
        FileQuorumStateStore store = new FileQuorumStateStore(dir);
        assertEquals(ElectionState.initial(), store.read());
        store.write(new ElectionState(7, 2, -1));
        store.write(new ElectionState(8, 3, 3));
        assertEquals(new ElectionState(8, 3, 3), new FileQuorumStateStore(dir).read());
        assertTrue(Files.notExists(dir.resolve("quorum-state.tmp")));
        Files.writeString(dir.resolve("quorum-state"), "version=1\nepoch=banana\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, store::read);
        assertTrue(e.getMessage().contains("quorum-state"), e.getMessage());
    }
}
