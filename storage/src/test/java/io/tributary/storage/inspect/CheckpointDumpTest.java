package io.tributary.storage.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.storage.CorruptCheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CheckpointDump} on the checkpoint files a real log manager wrote. */
@Tag("integration")
class CheckpointDumpTest {

    @TempDir
    Path root;

    private InspectedLog written;

    @BeforeEach
    void writeLog() {
        written = new InspectedLog(root);
    }

    @Test
    void leaderEpochsStartWhereTheirFirstBatchIs() throws IOException {
        assertEquals(List.of(new CheckpointDump.EpochEntry(0, 0), new CheckpointDump.EpochEntry(3, 5)),
                CheckpointDump.leaderEpochs(written.partitionDir.resolve("leader-epoch-checkpoint")));
    }

    @Test
    void theLogDirectoryCheckpointsNameThePartitionsOffsets() throws IOException {
        CheckpointDump.PartitionOffset end = new CheckpointDump.PartitionOffset("events", 0, InspectedLog.END_OFFSET);

        assertEquals(List.of(end), CheckpointDump.offsets(written.logDir.resolve("recovery-point-offset-checkpoint")));
        assertEquals(List.of(end), CheckpointDump.offsets(written.logDir.resolve("replication-offset-checkpoint")));
        assertEquals(List.of(new CheckpointDump.PartitionOffset("events", 0, 0)),
                CheckpointDump.offsets(written.logDir.resolve("log-start-offset-checkpoint")));
    }

    @Test
    void metaPropertiesAndPartitionMetadataNameTheirIds() throws IOException {
        CheckpointDump.MetaPropertiesDump meta = CheckpointDump.metaProperties(written.logDir.resolve("meta.properties"));

        assertEquals(List.of("cluster-1", 1), List.of(meta.clusterId(), meta.nodeId()));
        assertEquals(22, meta.directoryId().length(), meta.directoryId());
        assertEquals(InspectedLog.TOPIC_ID, CheckpointDump.topicId(written.partitionDir.resolve("partition.metadata")));
    }

    @Test
    void malformedMissingAndMisnamedFilesAreRefused() throws IOException {
        Path epochs = written.partitionDir.resolve("leader-epoch-checkpoint");
        Files.writeString(epochs, "0\n2\n0 0\n");

        CorruptCheckpointException corrupt = assertThrows(CorruptCheckpointException.class,
                () -> CheckpointDump.leaderEpochs(epochs));
        assertTrue(corrupt.getMessage().contains(epochs + " at line 2: declares 2 entries but has 1"),
                corrupt.getMessage());
        assertThrows(NoSuchFileException.class,
                () -> CheckpointDump.offsets(root.resolve("replication-offset-checkpoint")));
        assertThrows(IllegalArgumentException.class, () -> CheckpointDump.offsets(epochs));
    }
}
