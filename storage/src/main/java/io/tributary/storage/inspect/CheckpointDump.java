package io.tributary.storage.inspect;

import io.tributary.common.TopicPartition;
import io.tributary.storage.CorruptCheckpointException;
import io.tributary.storage.internal.checkpoint.MetaProperties;
import io.tributary.storage.internal.checkpoint.OffsetCheckpointFile;
import io.tributary.storage.internal.checkpoint.PartitionMetadataFile;
import io.tributary.storage.internal.epoch.LeaderEpochCache;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checkpoint files of partition and log directories, read with the log's own readers, so a file
 * the log would refuse is refused here too ({@link CorruptCheckpointException}, naming file and line).
 * Each method takes the file itself, which must carry its usual name.
 */
public final class CheckpointDump {

    /** Per partition: the first offset of each leader epoch. */
    public static final String LEADER_EPOCH_CHECKPOINT = LeaderEpochCache.FILE_NAME;
    /** Per partition: the topic id. */
    public static final String PARTITION_METADATA = PartitionMetadataFile.FILE_NAME;
    /** Per log directory: cluster, node and directory ids. */
    public static final String META_PROPERTIES = MetaProperties.FILE_NAME;
    /** Per log directory: an offset per partition (recovery points, high watermarks, log start offsets). */
    public static final Set<String> OFFSET_CHECKPOINTS = Set.of(OffsetCheckpointFile.RECOVERY_POINT_FILE,
            OffsetCheckpointFile.HIGH_WATERMARK_FILE, OffsetCheckpointFile.LOG_START_OFFSET_FILE);

    /** A leader epoch and the offset of its first batch. */
    public record EpochEntry(int epoch, long startOffset) {
    }

    /** One line of an offset checkpoint. */
    public record PartitionOffset(String topic, int partition, long offset) {
    }

    /** The content of {@code meta.properties}. */
    public record MetaPropertiesDump(String clusterId, int nodeId, String directoryId) {
    }

    private CheckpointDump() {
    }

    /** The entries of a {@code leader-epoch-checkpoint}, oldest epoch first. */
    public static List<EpochEntry> leaderEpochs(Path file) throws IOException {
        Path dir = directoryOf(file, LEADER_EPOCH_CHECKPOINT);
        return LeaderEpochCache.load(ReadOnlyFileIo.INSTANCE, dir).entries().stream()
                .map(entry -> new EpochEntry(entry.epoch(), entry.startOffset())).toList();
    }

    /** The entries of one of the {@link #OFFSET_CHECKPOINTS}, in file order. */
    public static List<PartitionOffset> offsets(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (!OFFSET_CHECKPOINTS.contains(name)) {
            throw new IllegalArgumentException(file + " is not an offset checkpoint (one of "
                    + OFFSET_CHECKPOINTS.stream().sorted().toList() + ")");
        }
        requireExists(file);
        Map<TopicPartition, Long> offsets = new OffsetCheckpointFile(ReadOnlyFileIo.INSTANCE, file).read();
        return offsets.entrySet().stream()
                .map(e -> new PartitionOffset(e.getKey().topic(), e.getKey().partition(), e.getValue())).toList();
    }

    /** The content of a {@code meta.properties}. */
    public static MetaPropertiesDump metaProperties(Path file) throws IOException {
        Path dir = directoryOf(file, META_PROPERTIES);
        MetaProperties meta = MetaProperties.read(ReadOnlyFileIo.INSTANCE, dir)
                .orElseThrow(() -> new NoSuchFileException(file.toString()));
        return new MetaPropertiesDump(meta.clusterId(), meta.nodeId(), meta.directoryId());
    }

    /** The topic id a {@code partition.metadata} names. */
    public static String topicId(Path file) throws IOException {
        Path dir = directoryOf(file, PARTITION_METADATA);
        return new PartitionMetadataFile(ReadOnlyFileIo.INSTANCE, dir).read()
                .orElseThrow(() -> new NoSuchFileException(file.toString()));
    }

    private static Path directoryOf(Path file, String expectedName) throws NoSuchFileException {
        if (!file.getFileName().toString().equals(expectedName)) {
            throw new IllegalArgumentException(file + " is not a " + expectedName + " file");
        }
        requireExists(file);
        return file.toAbsolutePath().getParent();
    }

    private static void requireExists(Path file) throws NoSuchFileException {
        if (!ReadOnlyFileIo.INSTANCE.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
    }
}
