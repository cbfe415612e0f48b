package io.tributary.tools;

import io.tributary.client.CommonClientConfigs;
import io.tributary.client.PartitionInfo;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.common.config.ConfigDef;
import io.tributary.tools.internal.CommandException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Looks a topic up before a command uses it, so a missing topic is one clear error, not a timeout. */
final class TopicChecks {

    private static final ConfigDef COMMON_KEYS = CommonClientConfigs.define(new ConfigDef(), 30_000);

    private TopicChecks() {
    }

    /**
     * The partitions of {@code topic}, by number, looked up with the settings every client shares
     * ({@code bootstrap.servers}, {@code client.id}, timeouts) from {@code producerConfig}.
     *
     * @throws CommandException when the topic does not exist
     */
    static List<PartitionInfo> requireTopic(ConnectionOptions connection, Map<String, Object> producerConfig,
                                            String topic) {
        Map<String, Object> common = producerConfig.entrySet().stream().filter(e -> COMMON_KEYS.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        try (TributaryConsumer<byte[], byte[]> consumer =
                     ClientCommand.byteConsumer(connection.clientConfig(common, Map.of()))) {
            return partitionsOf(consumer, topic);
        }
    }

    /**
     * The partitions of {@code topic}, by number.
     *
     * @throws CommandException when the topic does not exist
     */
    static List<PartitionInfo> partitionsOf(Consumer<?, ?> consumer, String topic) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        if (partitions.isEmpty()) {
            throw new CommandException("topic '" + topic + "' does not exist");
        }
        return partitions.stream().sorted(Comparator.comparingInt(PartitionInfo::partition)).toList();
    }
}
