package io.tributary.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.image.MetadataLoader;
import io.tributary.common.Time;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.runtime.FileRaftLog;
import io.tributary.quorum.runtime.MetadataQuorum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class MetadataLogPlacementTest {

    @TempDir
    Path dir;

    @Test
    void aMetadataLogFromBeforeTheQuorumIsRefusedWithAClearMessage() {
        try (FileRaftLog old = new FileRaftLog(dir.resolve("__cluster_metadata-0"))) {
            old.append(List.of(new LogEntry(0, 0, false, new byte[] {1})));
            old.flush();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new MetadataQuorum(new MetadataQuorum.Settings(1, java.util.Collections.singletonMap(1, null),
                        dir, 100, 200, 1 << 20, 60_000), new MetadataLoader(), Time.SYSTEM));
        assertTrue(e.getMessage().contains("written before the Raft quorum"), e.getMessage());
    }

    @Test
    void aMovedMetadataLogDirIsRefusedInsteadOfDeletingEveryPartition() {
        Path logs = dir.resolve("logs");
        try (TestNode node = new TestNode(logs)) {
            node.createTopic("precious", 1, Map.of());
        }
        RuntimeException elsewhere = assertThrows(RuntimeException.class,
                () -> new TestNode(logs, Map.of("metadata.log.dir", dir.resolve("new-meta").toString())));
        assertTrue(elsewhere.getMessage().contains("holds a metadata log"), elsewhere.getMessage());
        assertTrue(Files.isDirectory(logs.resolve("precious-0")), "the partition log is still there");
    }

    @Test
    void partitionLogsWithoutAnyMetadataLogAreRefused() throws Exception {
        Path logs = dir.resolve("logs");
        try (TestNode node = new TestNode(logs)) {
            node.createTopic("orphan", 1, Map.of());
        }
        try (var paths = Files.walk(logs.resolve("__cluster_metadata-0"))) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        RuntimeException e = assertThrows(RuntimeException.class, () -> new TestNode(logs));
        assertTrue(e.getMessage().contains("no metadata log"), e.getMessage());
        assertTrue(Files.isDirectory(logs.resolve("orphan-0")));
    }

    @Test
    void theQuorumStateAndLogGoToMetadataLogDirAndSurviveARestart() {
        Path metadataDir = dir.resolve("meta");
        try (TestNode node = new TestNode(dir.resolve("logs"), Map.of("metadata.log.dir", metadataDir.toString()))) {
            node.createTopic("kept", 2, Map.of());
            assertTrue(Files.exists(metadataDir.resolve("quorum-state")));
            assertTrue(Files.isDirectory(metadataDir.resolve("__cluster_metadata-0")));
            assertTrue(Files.notExists(dir.resolve("logs").resolve("__cluster_metadata-0")));
            node.restart();
            assertEquals(2, node.cluster().metadata(io.tributary.proto.v1.MetadataRequest.newBuilder()
                    .addTopics("kept").build()).getTopics(0).getPartitionsCount(), "the topic survives a restart");
        }
    }
}
