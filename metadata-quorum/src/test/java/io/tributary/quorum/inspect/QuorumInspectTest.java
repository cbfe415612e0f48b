package io.tributary.quorum.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.MetadataRecordList;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import io.tributary.quorum.raft.ElectionState;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.runtime.FileQuorumStateStore;
import io.tributary.quorum.runtime.FileRaftLog;
import io.tributary.quorum.runtime.SnapshotFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quorum inspection API on files a real {@link FileRaftLog} and {@link FileQuorumStateStore} wrote. */
@Tag("integration")
class QuorumInspectTest {

    private static final MetadataRecord TOPIC = MetadataRecord.newBuilder()
            .setTopic(TopicRecord.newBuilder().setName("events").setTopicId("id-1")).build();
    private static final MetadataRecord PARTITION = MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
            .setTopicId("id-1").setPartition(0).addReplicas(1).addIsr(1).setLeader(1).setLeaderEpoch(0)).build();

    @TempDir
    Path dir;

    private Path logDir() {
        return dir.resolve(MetadataLogDump.DIRECTORY_NAME);
    }

    private static byte[] records(MetadataRecord... records) {
        return MetadataRecordList.newBuilder().addAllRecords(List.of(records)).build().toByteArray();
    }

    /** Entries 0 (control, epoch 1), 1 (topic and partition), 2 (control, epoch 2), 3 (topic); a snapshot at 2. */
    private void writeLog() {
        try (FileRaftLog log = new FileRaftLog(logDir())) {
            log.append(List.of(new LogEntry(0, 1, true, null), new LogEntry(1, 1, false, records(TOPIC, PARTITION))));
            log.append(List.of(new LogEntry(2, 2, true, null), new LogEntry(3, 2, false, records(TOPIC))));
            log.flush();
            log.createSnapshot(new OffsetAndEpoch(2, 1), records(TOPIC, PARTITION));
        }
    }

    private Path only(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(logDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    @Test
    void theMetadataLogShowsEachEntryWithItsEpochKindAndRecords() throws IOException {
        writeLog();

        MetadataLogDump dump = MetadataLogDump.read(only(".log"), true, Long.MAX_VALUE);

        assertFalse(dump.hasProblems(), dump.toString());
        assertEquals(List.of(0L, 1L, 2L, 3L), dump.entries().stream().map(MetadataLogDump.Entry::offset).toList());
        assertEquals(List.of(1, 1, 2, 2), dump.entries().stream().map(MetadataLogDump.Entry::epoch).toList());
        assertEquals(List.of(true, false, true, false),
                dump.entries().stream().map(MetadataLogDump.Entry::control).toList());
        assertEquals(List.of(TOPIC, PARTITION), dump.entries().get(1).records());
        assertEquals(List.of(TOPIC), dump.entries().get(3).records());
        assertTrue(dump.entries().get(0).records().isEmpty());
        assertTrue(MetadataLogDump.read(only(".log"), false, Long.MAX_VALUE).entries().get(1).records().isEmpty());
    }

    @Test
    void anEntryWhoseValueIsNotMetadataIsReported() throws IOException {
        try (FileRaftLog log = new FileRaftLog(logDir())) {
            log.append(List.of(new LogEntry(0, 1, false, new byte[] {(byte) 0xff, 0x01})));
            log.flush();
        }

        MetadataLogDump.Entry entry = MetadataLogDump.read(only(".log"), true, Long.MAX_VALUE).entries().getFirst();

        assertTrue(entry.valid());
        assertTrue(entry.problem().startsWith("its value is not a MetadataRecordList"), entry.problem());
    }

    @Test
    void theSnapshotShowsItsIdAndRecordsAndADamagedOneSaysWhy() throws IOException {
        writeLog();
        Path snapshot = only(MetadataSnapshotDump.FILE_SUFFIX);

        MetadataSnapshotDump dump = MetadataSnapshotDump.read(snapshot, true);

        assertEquals("00000000000000000002-0000000001.checkpoint", snapshot.getFileName().toString());
        assertEquals(List.of(2L, 1L), List.of(dump.endOffset(), (long) dump.epoch()));
        assertNull(dump.problem());
        assertEquals(List.of(TOPIC, PARTITION), dump.records());
        assertEquals(records(TOPIC, PARTITION).length, dump.dataBytes());
        SnapshotFiles.Contents checkedOnly = SnapshotFiles.readFile(snapshot, false);
        assertNull(checkedOnly.data(), "without decoding, only the checksum is computed (in chunks)");
        assertNull(checkedOnly.problem());
        assertEquals(records(TOPIC, PARTITION).length, checkedOnly.dataBytes());
        MetadataSnapshotDump undecoded = MetadataSnapshotDump.read(snapshot, false);
        assertEquals(List.of(), undecoded.records());
        assertEquals(dump.dataBytes(), undecoded.dataBytes());

        try (FileChannel channel = FileChannel.open(snapshot, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            channel.write(ByteBuffer.wrap(new byte[] {0x7f}), channel.size() - 1);
        }
        MetadataSnapshotDump damaged = MetadataSnapshotDump.read(snapshot, true);
        assertEquals("its data does not match its checksum", damaged.problem());
        assertEquals("its data does not match its checksum", MetadataSnapshotDump.read(snapshot, false).problem());
        assertTrue(damaged.records().isEmpty());
    }

    @Test
    void aSnapshotShorterThanItsHeaderOrWronglyNamedIsRefused() throws IOException {
        Path shortFile = Files.write(dir.resolve("00000000000000000005-0000000002.checkpoint"), new byte[] {1, 2, 3});
        Path wrongName = Files.write(dir.resolve("latest.checkpoint"), new byte[40]);

        assertEquals("it has 3 bytes, less than a header", MetadataSnapshotDump.read(shortFile, true).problem());
        assertThrows(IllegalArgumentException.class, () -> MetadataSnapshotDump.read(wrongName, true));
    }

    @Test
    void quorumStateShowsTheElectionState() throws IOException {
        new FileQuorumStateStore(dir).write(new ElectionState(4, 2, 2, true));

        assertEquals(new QuorumStateDump(4, 2, 2, true), QuorumStateDump.read(dir.resolve("quorum-state")));

        Files.writeString(dir.resolve("quorum-state"), "version=9\n");
        IllegalStateException malformed = assertThrows(IllegalStateException.class,
                () -> QuorumStateDump.read(dir.resolve("quorum-state")));
        assertTrue(malformed.getMessage().contains("quorum-state has unsupported version 9"), malformed.getMessage());
        assertThrows(NoSuchFileException.class, () -> QuorumStateDump.read(dir.resolve("x").resolve("quorum-state")));
    }
}
