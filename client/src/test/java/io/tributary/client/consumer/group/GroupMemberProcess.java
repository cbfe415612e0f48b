package io.tributary.client.consumer.group;

import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.common.TopicPartition;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group member in its own JVM, for tests that kill it: consumes a topic and commits after every
 * poll, printing on stdout what it was assigned ({@code ASSIGNED p}), every record it processed
 * ({@code CONSUMED p offset}, flushed before the commit) and every commit once it succeeded
 * ({@code COMMITTED p offset}). It
 * runs until killed. Output blocks when the reader stops reading, which paces the member.
 *
 * <p>Arguments: bootstrap servers, group id, topic, session.timeout.ms.
 */
public final class GroupMemberProcess {

    private GroupMemberProcess() {
    }

    public static void main(String[] args) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", args[0]);
        config.put("group.id", args[1]);
        config.put("session.timeout.ms", args[3]);
        config.put("heartbeat.interval.ms", "100");
        config.put("enable.auto.commit", "false");
        config.put("auto.offset.reset", "earliest");
        config.put("max.poll.records", "50");
        PrintStream out = System.out;
        try (TributaryConsumer<String, String> consumer =
                     new TributaryConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> out.println("REVOKED " + tp.partition()));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> out.println("ASSIGNED " + tp.partition()));
                }
            });
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
                for (ConsumerRecord<String, String> record : records) {
                    out.println("CONSUMED " + record.partition() + " " + record.offset());
                    next.put(record.topicPartition(), new OffsetAndMetadata(record.offset() + 1));
                }
                // Processed means printed and out of the process before the commit, so a kill can lose a
                // commit's report but never a processed record's.
                out.flush();
                if (!next.isEmpty()) {
                    consumer.commitSync(next);
                    next.forEach((tp, offset) -> out.println("COMMITTED " + tp.partition() + " " + offset.offset()));
                }
                out.flush();
            }
        }
    }
}
