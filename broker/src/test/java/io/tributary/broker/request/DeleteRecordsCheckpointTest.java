package io.tributary.broker.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionFixture;
import io.tributary.common.errors.StorageException;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.proto.v1.DeleteRecordsPartitionResult;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.storage.testing.FaultyFileIo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's checkpoint before a DeleteRecords waits: only the waiting partitions' own log
 * directories decide whether each one's deletion is durable.
 */
@Tag("unit")
class DeleteRecordsCheckpointTest {

    @TempDir
    Path dir;
    private PartitionFixture partitions;
    private Partition healthy;
    private Partition failed;

    @BeforeEach
    void setUp() {
        partitions = new PartitionFixture(dir);
        healthy = partitions.partition(dir.resolve("a").resolve("t-0"), "id", 1, 0, PartitionFixture.NO_EVENTS);
        FaultyFileIo disk = new FaultyFileIo();
        failed = partitions.partition(dir.resolve("b").resolve("t-1"), "id", 1, 0, PartitionFixture.NO_EVENTS, disk);
        failed.makeLeader(1, List.of(1), List.of(1), 1, 0);
        failed.appendAsLeader(new RecordBatchBuilder().append(0, null, "v".getBytes(StandardCharsets.UTF_8)).build(), 0);
        disk.failAlways(FaultyFileIo.Op.FORCE, ".log");
        assertThrows(StorageException.class, failed::flush);
        assertFalse(failed.log().isOnline());
    }

    @AfterEach
    void tearDown() {
        partitions.close();
    }

    private static DelayedDeleteRecords.Waiting waiting(Partition partition) {
        return new DelayedDeleteRecords.Waiting(DeleteRecordsPartitionResult.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_NONE), partition, 1);
    }

    @Test
    void onlyAPartitionWhoseOwnDirectoryIsOfflineFails() {
        DelayedDeleteRecords.Waiting ok = waiting(healthy);
        DelayedDeleteRecords.Waiting lost = waiting(failed);
        List<DelayedDeleteRecords.Waiting> list = new ArrayList<>(List.of(ok, lost));

        DeleteRecordsHandler.checkpointWaiting(partitions -> { }, list);

        assertEquals(List.of(ok), list, "the partition on the healthy directory still waits");
        assertEquals(ErrorCode.ERROR_CODE_NONE, ok.result().getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_STORAGE_ERROR, lost.result().getErrorCode());
        assertEquals("the leader deleted the records of t-1 below offset 1, but could not checkpoint it: its log "
                + "directory is offline", lost.result().getErrorMessage());
    }

    @Test
    void aCheckpointThatCannotRunFailsEveryWaitingPartition() {
        DelayedDeleteRecords.Waiting ok = waiting(healthy);
        List<DelayedDeleteRecords.Waiting> list = new ArrayList<>(List.of(ok));

        DeleteRecordsHandler.checkpointWaiting(partitions -> {
            throw new StorageException("the checkpoints cannot be written: the log manager is shut down");
        }, list);

        assertEquals(List.of(), list);
        assertEquals(ErrorCode.ERROR_CODE_STORAGE_ERROR, ok.result().getErrorCode());
        assertEquals("the checkpoints cannot be written: the log manager is shut down", ok.result().getErrorMessage());
    }
}
