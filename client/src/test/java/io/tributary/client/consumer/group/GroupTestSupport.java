package io.tributary.client.consumer.group;

import static org.awaitility.Awaitility.await;

import io.tributary.broker.TestNode;
import io.tributary.client.consumer.Consumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.proto.v1.DescribeGroupsRequest;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A node configured for fast group tests, and the producer and consumer settings the tests share. */
final class GroupTestSupport {

    /** Short heartbeats and small session timeouts allowed, so membership changes take well under a second. */
    static final Map<String, String> BROKER_OVERRIDES = Map.of("offsets.topic.num.partitions", "3",
            "group.min.session.timeout.ms", "500", "group.consumer.heartbeat.interval.ms", "100");

    private GroupTestSupport() {
    }

    static TestNode startNode(Path dir) {
        return new TestNode(dir, BROKER_OVERRIDES);
    }

    /** {@link #consumerConfig(TestNode, String)} with {@code overrides}: key, value, key, value... */
    static Map<String, Object> consumerConfig(TestNode node, String groupId, String... overrides) {
        Map<String, Object> config = consumerConfig(node, groupId);
        for (int i = 0; i < overrides.length; i += 2) {
            config.put(overrides[i], overrides[i + 1]);
        }
        return config;
    }

    /** Polls until the consumer owns {@code partitions} partitions. */
    static void awaitAssignment(Consumer<?, ?> consumer, int partitions) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            consumer.poll(Duration.ofMillis(50));
            return consumer.assignment().size() == partitions;
        });
    }

    static Map<String, Object> consumerConfig(TestNode node, String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", node.bootstrap());
        config.put("key.deserializer", StringDeserializer.class);
        config.put("value.deserializer", StringDeserializer.class);
        config.put("group.id", groupId);
        config.put("auto.offset.reset", "earliest");
        config.put("fetch.max.wait.ms", "100");
        config.put("session.timeout.ms", "3000");
        config.put("heartbeat.interval.ms", "100");
        config.put("retry.backoff.ms", "50");
        return config;
    }

    /** Produces {@code perPartition} records "p<partition>-<i>" to every partition of {@code topic}. */
    static void produce(TestNode node, String topic, int partitions, int perPartition) {
        Map<String, Object> config = Map.of("bootstrap.servers", node.bootstrap(), "linger.ms", "0");
        try (TributaryProducer<String, String> producer =
                     new TributaryProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, "k" + i, "p" + p + "-" + i));
                }
            }
            producer.flush();
        }
    }

    /** The group as its coordinator describes it (through the raw gRPC API). */
    static GroupDescription describe(TestNode node, String groupId) {
        return GroupServiceGrpc.newBlockingStub(node.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .describeGroups(DescribeGroupsRequest.newBuilder().addGroupIds(groupId).build()).getGroups(0);
    }
}
