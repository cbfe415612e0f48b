package io.tributary.broker.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.broker.metadata.MetadataLoader;
import io.tributary.common.Time;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.runtime.FileRaftLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class RaftMetadataLogTest {

    @TempDir
    Path dir;

    @Test
    void aMetadataLogFromBeforeTheQuorumIsRefusedWithAClearMessage() {
        try (FileRaftLog old = new FileRaftLog(dir.resolve("__cluster_metadata-0"))) {
            old.append(List.of(new LogEntry(0, 0, false, new byte[] {1})));
            old.flush();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new RaftMetadataLog(1, dir, 100, 200, new MetadataLoader(), Time.SYSTEM));
        assertTrue(e.getMessage().contains("written before the Raft quorum"), e.getMessage());
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
