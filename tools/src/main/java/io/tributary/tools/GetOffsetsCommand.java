package io.tributary.tools;

import io.tributary.client.PartitionInfo;
import io.tributary.client.admin.Admin;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.consumer.OffsetAndTimestamp;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.common.TopicPartition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary get-offsets}: offsets of a topic's partitions, printed like Kafka's GetOffsetShell. */
@Command(name = "get-offsets", sortOptions = false,
        description = {"Prints an offset of each partition of a topic as topic:partition:offset lines.",
            "--time latest (-1, the default) is the log end offset; earliest (-2) the log start offset; max-timestamp "
                + "(-3) the offset of the record with the largest timestamp; a timestamp (ms) the first offset whose "
                + "record timestamp is at or after it (partitions without such a record are left out)."})
final class GetOffsetsCommand extends ClientCommand {

    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic.")
    String topic;

    @Option(names = "--partitions", split = ",", paramLabel = "N[,N...]", description = "Only these partitions. Default: all.")
    Set<Integer> partitions;

    @Option(names = "--time", paramLabel = "-1|-2|-3|latest|earliest|max-timestamp|TIMESTAMP", defaultValue = "latest",
            description = "Which offset: latest (-1), earliest (-2), max-timestamp (-3) or by timestamp in ms. "
                + "Default: ${DEFAULT-VALUE}.")
    String time;

    @Option(names = "--command-config", paramLabel = "FILE", description = "A properties file of client configuration.")
    Path configFile;

    @Override
    int execute() throws Exception {
        long target = parseTime();
        Map<String, Object> config = connection.clientConfig(loadProperties(configFile, "--command-config"), Map.of());
        try (TributaryConsumer<byte[], byte[]> consumer = byteConsumer(config)) {
            List<TopicPartition> selected = select(TopicChecks.partitionsOf(consumer, topic));
            (target == MAX_TIMESTAMP ? maxTimestampOffsets(config, selected) : offsets(consumer, selected, target))
                    .forEach((tp, offset) -> out().println(tp.topic() + ":" + tp.partition() + ":" + offset));
            out().flush();
        }
        return 0;
    }

    private long parseTime() {
        return switch (time) {
            case "latest" -> LATEST;
            case "earliest" -> EARLIEST;
            case "max-timestamp" -> MAX_TIMESTAMP;
            default -> {
                try {
                    long value = Long.parseLong(time);
                    if (value < 0 && value != LATEST && value != EARLIEST && value != MAX_TIMESTAMP) {
                        throw usageError("--time must be -1 (latest), -2 (earliest), -3 (max-timestamp) or a "
                                + "timestamp >= 0; got " + time);
                    }
                    yield value;
                } catch (NumberFormatException e) {
                    throw usageError("--time must be latest, earliest, max-timestamp, -1, -2, -3 or a timestamp in ms; "
                            + "got '" + time + "'");
                }
            }
        };
    }

    private List<TopicPartition> select(List<PartitionInfo> existing) {
        if (partitions != null) {
            for (int partition : partitions) {
                if (partition < 0 || partition >= existing.size()) {
                    throw usageError("topic '" + topic + "' has no partition " + partition + " (it has " + existing.size()
                            + ")");
                }
            }
        }
        return existing.stream().map(PartitionInfo::partition).filter(p -> partitions == null || partitions.contains(p))
                .map(p -> new TopicPartition(topic, p)).toList();
    }

    /** Offsets of each partition's record with the largest timestamp; empty partitions are left out. */
    private static Map<TopicPartition, Long> maxTimestampOffsets(Map<String, Object> config,
                                                                List<TopicPartition> selected) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new LinkedHashMap<>();
        selected.forEach(tp -> query.put(tp, OffsetSpec.maxTimestamp()));
        Map<TopicPartition, Long> result = new TreeMap<>();
        try (Admin admin = Admin.create(config)) {
            admin.listOffsets(query).all().get().forEach((tp, info) -> {
                if (info.offset() >= 0) {
                    result.put(tp, info.offset());
                }
            });
        }
        return result;
    }

    /** The offsets by partition number; a timestamp without a matching record leaves its partition out. */
    private static Map<TopicPartition, Long> offsets(TributaryConsumer<byte[], byte[]> consumer,
                                                     List<TopicPartition> selected, long target) {
        if (target == LATEST) {
            return new TreeMap<>(consumer.endOffsets(selected));
        }
        if (target == EARLIEST) {
            return new TreeMap<>(consumer.beginningOffsets(selected));
        }
        Map<TopicPartition, Long> query = new LinkedHashMap<>();
        selected.forEach(tp -> query.put(tp, target));
        Map<TopicPartition, Long> result = new TreeMap<>();
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        found.forEach((tp, offset) -> {
            if (offset != null) {
                result.put(tp, offset.offset());
            }
        });
        return result;
    }
}
