package io.tributary.tools;

import io.tributary.quorum.inspect.QuorumStateDump;
import io.tributary.storage.inspect.CheckpointDump;
import io.tributary.tools.DumpLogFormats.Dumped;
import io.tributary.tools.internal.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code dump-log} shows checkpoint files (leader epochs, offsets per partition, meta.properties,
 * partition.metadata) and quorum-state: text lines, and one JSON object per file. Pure formatting.
 */
final class DumpLogCheckpointFormats {

    private DumpLogCheckpointFormats() {
    }

    static Dumped leaderEpochs(Path file, List<CheckpointDump.EpochEntry> entries) {
        List<String> lines = new ArrayList<>();
        List<Object> json = new ArrayList<>();
        for (CheckpointDump.EpochEntry entry : entries) {
            lines.add("epoch: " + entry.epoch() + " startOffset: " + entry.startOffset());
            json.add(Json.object("epoch", entry.epoch(), "startOffset", entry.startOffset()));
        }
        return new Dumped(lines, Json.object("file", file.toString(), "kind", "leader-epochs", "entries", json), false);
    }

    static Dumped offsets(Path file, List<CheckpointDump.PartitionOffset> offsets) {
        List<String> lines = new ArrayList<>();
        List<Object> json = new ArrayList<>();
        for (CheckpointDump.PartitionOffset offset : offsets) {
            lines.add("topic: " + offset.topic() + " partition: " + offset.partition() + " offset: " + offset.offset());
            json.add(Json.object("topic", offset.topic(), "partition", offset.partition(), "offset", offset.offset()));
        }
        return new Dumped(lines, Json.object("file", file.toString(), "kind", "offsets", "entries", json), false);
    }

    static Dumped metaProperties(Path file, CheckpointDump.MetaPropertiesDump meta) {
        return new Dumped(List.of("cluster.id: " + meta.clusterId(), "node.id: " + meta.nodeId(),
                "directory.id: " + meta.directoryId()), Json.object("file", file.toString(), "kind", "meta-properties",
                "clusterId", meta.clusterId(), "nodeId", meta.nodeId(), "directoryId", meta.directoryId()), false);
    }

    static Dumped topicId(Path file, String topicId) {
        return new Dumped(List.of("topic_id: " + topicId), Json.object("file", file.toString(), "kind",
                "partition-metadata", "topicId", topicId), false);
    }

    static Dumped quorumState(Path file, QuorumStateDump state) {
        return new Dumped(List.of("epoch: " + state.epoch() + " votedFor: " + state.votedFor() + " leaderId: "
                + state.leaderId() + " catchingUp: " + state.catchingUp()), Json.object("file", file.toString(), "kind",
                "quorum-state", "epoch", state.epoch(), "votedFor", state.votedFor(), "leaderId", state.leaderId(),
                "catchingUp", state.catchingUp()), false);
    }
}
