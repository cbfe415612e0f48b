package io.tributary.tools;

import io.tributary.broker.TestNode;
import io.tributary.client.admin.Admin;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.ByteArraySerializer;
import io.tributary.common.TopicPartition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.IntToLongFunction;

/**
 * A real node with a group coordinator for {@code consumer-groups} tests, an admin client to set up
 * and check committed offsets, and a runner for the command against the node.
 */
final class GroupsNode implements AutoCloseable {

    private final TestNode node;
    private final Admin admin;

    GroupsNode(Path dir) {
        node = new TestNode(dir, Map.of("offsets.topic.num.partitions", "3", "group.consumer.heartbeat.interval.ms",
                "100"));
        admin = Admin.create(Map.of("bootstrap.servers", node.bootstrap()));
    }

    String bootstrap() {
        return node.bootstrap();
    }

    void createTopic(String name, int partitions) {
        node.createTopic(name, partitions, Map.of());
    }

    /** Runs {@code tributary consumer-groups --bootstrap-server <node> options...}. */
    Cli.Result groups(String... options) {
        return Cli.runAgainst(node.bootstrap(), "consumer-groups", options);
    }

    /** Appends {@code count} records to one partition, record {@code i} with timestamp {@code timestamps(i)}. */
    void produce(String topic, int partition, int count, IntToLongFunction timestamps) throws Exception {
        try (TributaryProducer<byte[], byte[]> producer = new TributaryProducer<>(Map.of("bootstrap.servers",
                node.bootstrap()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, timestamps.applyAsLong(i), null,
                        ("record " + i).getBytes())).get();
            }
        }
    }

    /** Commits offsets for a group without members. */
    void commit(String group, Map<TopicPartition, Long> offsets) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> committed.put(tp, new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(group, committed).all().get();
    }

    /** The group's committed offsets. */
    Map<TopicPartition, Long> committed(String group) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> offsets = new TreeMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .forEach((tp, offset) -> offsets.put(tp, offset.offset()));
        return offsets;
    }

    Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close();
        node.close();
    }
}
