package io.tributary.storage.inspect;

import io.tributary.common.MockTime;
import io.tributary.common.TopicPartition;
import io.tributary.common.record.CompressionType;
import io.tributary.common.record.ControlRecordType;
import io.tributary.common.record.EndTransactionMarker;
import io.tributary.common.record.Header;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogManager;
import io.tributary.storage.LogManagerConfig;
import io.tributary.storage.io.FileIo;
import io.tributary.storage.testing.MockScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A partition log written through a real {@link LogManager} and shut down cleanly, with a known
 * content for the inspection tests: segments rolling at 600 bytes, an index entry every 100 bytes,
 * plain, gzip-compressed, transactional and control batches, and two leader epochs.
 *
 * <pre>
 * batch  offsets  epoch  kind
 *   0    0..2       0    plain, keys k0..k2, values v0..v2, a header "h" on the first record
 *   1    3..4       0    gzip, keys g3..g4
 *   2    5..6       3    transactional, producer 7 epoch 1, sequences 0..1
 *   3    7          3    commit marker for producer 7, coordinator epoch 5
 *   4..  8..        3    plain filler batches of 2 records each, up to offset 39
 * </pre>
 */
final class InspectedLog {

    static final TopicPartition TP = new TopicPartition("events", 0);
    static final String TOPIC_ID = "4ZR0mPeXQj6kQH2Tq8wSbQ";
    static final long END_OFFSET = 40;
    static final long TIMESTAMP_MS = 1_700_000_000_000L;

    final Path logDir;
    final Path partitionDir;

    InspectedLog(Path root) {
        this.logDir = root.resolve("logs");
        MockTime time = new MockTime();
        LogConfig config = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "600",
                "index.interval.bytes", "100"));
        LogManager manager = new LogManager(List.of(logDir), config, tp -> Optional.empty(), time,
                new MockScheduler(time), FileIo.system(), LogManagerConfig.defaults("cluster-1", 1));
        manager.startup();
        try {
            Log log = manager.getOrCreateLog(TP, TOPIC_ID, config);
            log.append(new RecordBatchBuilder().baseOffset(0).partitionLeaderEpoch(0)
                    .append(TIMESTAMP_MS, bytes("k0"), bytes("v0"), List.of(new Header("h", bytes("x"))))
                    .append(TIMESTAMP_MS + 1, bytes("k1"), bytes("v1"))
                    .append(TIMESTAMP_MS + 2, bytes("k2"), bytes("v2")).build());
            log.append(new RecordBatchBuilder().baseOffset(3).partitionLeaderEpoch(0).compression(CompressionType.GZIP)
                    .append(TIMESTAMP_MS + 3, bytes("g3"), bytes("gzipped value 3"))
                    .append(TIMESTAMP_MS + 4, bytes("g4"), bytes("gzipped value 4")).build());
            log.append(new RecordBatchBuilder().baseOffset(5).partitionLeaderEpoch(3).producerId(7)
                    .producerEpoch((short) 1).baseSequence(0).transactional(true)
                    .append(TIMESTAMP_MS + 5, null, bytes("t5"))
                    .append(TIMESTAMP_MS + 6, null, bytes("t6")).build());
            log.append(RecordBatchBuilder.endTransactionMarker(7, (short) 1, TIMESTAMP_MS + 7,
                    new EndTransactionMarker(ControlRecordType.COMMIT, 5)).baseOffset(7).partitionLeaderEpoch(3)
                    .build());
            for (long offset = 8; offset < END_OFFSET; offset += 2) {
                log.append(new RecordBatchBuilder().baseOffset(offset).partitionLeaderEpoch(3)
                        .append(TIMESTAMP_MS + offset, bytes("f" + offset), bytes("filler " + offset))
                        .append(TIMESTAMP_MS + offset + 1, bytes("f" + (offset + 1)), bytes("filler " + (offset + 1)))
                        .build());
            }
            log.updateHighWatermark(END_OFFSET);
        } finally {
            manager.shutdown();
        }
        this.partitionDir = logDir.resolve(TP.toString());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The partition's files ending with {@code suffix}, sorted by name. */
    List<Path> files(String suffix) throws java.io.IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
