package io.tributary.storage.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.storage.CorruptCheckpointException;
import io.tributary.storage.io.FileIo;
import io.tributary.storage.testing.FaultyFileIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint files (DESIGN.md §3): Kafka's text formats, atomic replacement, loud corruption. */
@Tag("unit")
class CheckpointFileTest {

    private static final TopicPartition A0 = new TopicPartition("orders", 0);
    private static final TopicPartition A1 = new TopicPartition("orders", 1);
    private static final TopicPartition B7 = new TopicPartition("pay-ments", 7);

    @TempDir
    Path dir;

    @Test
    void offsetCheckpointsRoundTripInKafkasTextFormat() throws IOException {
        OffsetCheckpointFile file = new OffsetCheckpointFile(FileIo.system(),
                dir.resolve("replication-offset-checkpoint"));
        assertEquals(Map.of(), file.read(), "a missing file has no entries");
        file.write(Map.of(B7, 42L, A1, 10L, A0, 5L));
        assertEquals("0\n3\norders 0 5\norders 1 10\npay-ments 7 42\n", Files.readString(file.path()));
        assertEquals(Map.of(A0, 5L, A1, 10L, B7, 42L), file.read());
        file.write(Map.of());
        assertEquals("0\n0\n", Files.readString(file.path()));
    }

    @Test
    void corruptionIsReportedWithFileAndLine() throws IOException {
        Path path = dir.resolve("log-start-offset-checkpoint");
        OffsetCheckpointFile file = new OffsetCheckpointFile(FileIo.system(), path);
        assertCorruptAt(file, "1\n0\n", 1, "version");
        assertCorruptAt(file, "0\nmany\n", 2, "entry count");
        assertCorruptAt(file, "0\n3\norders 0 5\n", 2, "declares 3 entries but has 1");
        assertCorruptAt(file, "0\n2\norders 0 5\norders one 6\n", 4, "orders one 6");
        assertCorruptAt(file, "", 1, "missing version");
    }

    private static void assertCorruptAt(OffsetCheckpointFile file, String content, int line, String detail)
            throws IOException {
        Files.writeString(file.path(), content);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, file::read);
        assertEquals(line, e.line());
        assertEquals(file.path(), e.file());
        assertTrue(e.getMessage().contains(file.path().toString()) && e.getMessage().contains("line " + line)
                && e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void aStaleTempFileIsIgnoredAndReplaced() throws IOException {
        OffsetCheckpointFile file = new OffsetCheckpointFile(FileIo.system(),
                dir.resolve("recovery-point-offset-checkpoint"));
        file.write(Map.of(A0, 1L));
        Files.writeString(dir.resolve("recovery-point-offset-checkpoint.tmp"), "garbage from a crash");
        assertEquals(Map.of(A0, 1L), file.read());
        file.write(Map.of(A0, 2L));
        assertEquals(Map.of(A0, 2L), file.read());
        assertTrue(Files.notExists(dir.resolve("recovery-point-offset-checkpoint.tmp")), "the rename consumed it");
    }

    @Test
    void aFailedWriteLeavesThePreviousContentIntact() throws IOException {
        FaultyFileIo io = new FaultyFileIo();
        OffsetCheckpointFile file = new OffsetCheckpointFile(io, dir.resolve("replication-offset-checkpoint"));
        file.write(Map.of(A0, 1L));
        io.failNext(FaultyFileIo.Op.FORCE, ".tmp");
        assertThrows(IOException.class, () -> file.write(Map.of(A0, 2L)));
        assertEquals(Map.of(A0, 1L), file.read());
        io.failNext(FaultyFileIo.Op.MOVE, ".tmp");
        assertThrows(IOException.class, () -> file.write(Map.of(A0, 3L)));
        assertEquals(Map.of(A0, 1L), file.read());
        int directorySyncs = io.count(FaultyFileIo.Op.DIR_FSYNC);
        file.write(Map.of(A0, 4L));
        assertEquals(directorySyncs + 1, io.count(FaultyFileIo.Op.DIR_FSYNC), "the rename is made durable");
        assertEquals(Map.of(A0, 4L), file.read());
    }

    @Test
    void partitionMetadataRoundTripsInKafkasFormat() throws IOException {
        PartitionMetadataFile file = new PartitionMetadataFile(FileIo.system(), dir);
        assertEquals(Optional.empty(), file.read());
        file.write("AAAAAAAAAAAAAAAAAAAAAQ");
        assertEquals("version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAQ\n",
                Files.readString(dir.resolve("partition.metadata")));
        assertEquals(Optional.of("AAAAAAAAAAAAAAAAAAAAAQ"), file.read());
        Files.writeString(dir.resolve("partition.metadata"), "version: 0\ntopic:\n");
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, file::read);
        assertEquals(2, e.line());
    }

    @Test
    void metaPropertiesAreCreatedOnceAndThenEnforced() throws IOException {
        Set<String> ids = new HashSet<>();
        MetaProperties created = MetaProperties.ensure(FileIo.system(), dir, "cluster-a", 3, ids);
        assertEquals(22, created.directoryId().length());
        String text = Files.readString(dir.resolve("meta.properties"));
        assertTrue(text.contains("version=1") && text.contains("cluster.id=cluster-a") && text.contains("node.id=3")
                && text.contains("directory.id=" + created.directoryId()), text);
        assertEquals(created, MetaProperties.ensure(FileIo.system(), dir, "cluster-a", 3, new HashSet<>()));
        InvalidConfigurationException other = assertThrows(InvalidConfigurationException.class,
                () -> MetaProperties.ensure(FileIo.system(), dir, "cluster-b", 3, new HashSet<>()));
        assertTrue(other.getMessage().contains("cluster-a"), other.getMessage());
        assertThrows(InvalidConfigurationException.class,
                () -> MetaProperties.ensure(FileIo.system(), dir, "cluster-a", 4, new HashSet<>()));
        assertThrows(InvalidConfigurationException.class,
                () -> MetaProperties.ensure(FileIo.system(), dir, "cluster-a", 3, ids), "directory id seen twice");
    }

    @Test
    void aCorruptRecoveryPointFileMeansFullRecoveryButOtherCheckpointsFailLoudly() throws IOException {
        LogDirCheckpoints checkpoints = new LogDirCheckpoints(FileIo.system(), dir);
        checkpoints.write(Map.of(A0, 7L), Map.of(A0, 6L), Map.of(A0, 2L));
        assertEquals(Map.of(A0, 7L), checkpoints.readRecoveryPoints());
        Files.writeString(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT_FILE), "0\n1\nnonsense\n");
        assertEquals(Map.of(), checkpoints.readRecoveryPoints());
        Files.writeString(dir.resolve(OffsetCheckpointFile.HIGH_WATERMARK_FILE), "0\n1\nnonsense\n");
        assertThrows(CorruptCheckpointException.class, checkpoints::readHighWatermarks);
        Files.writeString(dir.resolve(OffsetCheckpointFile.LOG_START_OFFSET_FILE), "7\n");
        assertThrows(CorruptCheckpointException.class, checkpoints::readLogStartOffsets);
    }
}
