package io.tributary.client.admin;

import static io.tributary.client.admin.AdminIntegrationTest.failure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.common.FreePorts;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.TimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unreachable servers, restarts and closing with calls in flight. */
@Tag("integration")
class AdminRetryIntegrationTest {

    @TempDir
    Path dir;

    static void assertTimedOutNaming(String call, String address, CompletableFuture<?> future) {
        Throwable error = failure(future);
        assertInstanceOf(TimeoutException.class, error);
        String message = error.getMessage();
        assertTrue(message.matches(call + " timed out after \\d+ ms; last error: UNAVAILABLE from " + address
                + ": .+"), message);
    }

    @Test
    void anUnreachableServerFailsEveryCallWithATimeoutNamingTheLastError() throws Exception {
        String address = "127.0.0.1:" + FreePorts.freePort();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", address, "default.api.timeout.ms", "1500"))) {
            Map<String, CompletableFuture<?>> calls = new LinkedHashMap<>();
            calls.put("createTopics", admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all());
            calls.put("listTopics", admin.listTopics().names());
            calls.put("describeTopics", admin.describeTopics(List.of("t")).allTopicNames());
            calls.put("describeCluster", admin.describeCluster().clusterId());
            calls.put("deleteTopics", admin.deleteTopics(List.of("t")).all());
            calls.put("createPartitions", admin.createPartitions(Map.of("t", NewPartitions.increaseTo(2))).all());
            calls.put("listOffsets of t-0", admin.listOffsets(Map.of(new TopicPartition("t", 0),
                    OffsetSpec.latest())).all());
            calls.put("listConsumerGroups", admin.listConsumerGroups().all());
            calls.put("describeConsumerGroups of group 'g'", admin.describeConsumerGroups(List.of("g")).all());
            calls.put("listConsumerGroupOffsets of group 'g'",
                    admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata());
            calls.put("alterConsumerGroupOffsets of group 'g'", admin.alterConsumerGroupOffsets("g",
                    Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(1))).all());
            calls.put("deleteConsumerGroups of group 'g'", admin.deleteConsumerGroups(List.of("g")).all());
            calls.put("deleteConsumerGroupOffsets of group 'g'", admin.deleteConsumerGroupOffsets("g",
                    Set.of(new TopicPartition("t", 0))).all());
            calls.forEach((call, future) -> assertTimedOutNaming(call, address, future));
        }
    }

    @Test
    void theOptionsTimeoutOverridesTheDefault() throws Exception {
        String address = "127.0.0.1:" + FreePorts.freePort();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", address))) {
            Throwable error = failure(admin.listTopics(new ListTopicsOptions().timeoutMs(300)).names());
            assertInstanceOf(TimeoutException.class, error);
            assertTrue(error.getMessage().matches("listTopics timed out after \\d+ ms; (last error: UNAVAILABLE|no answer "
                    + "yet) from " + address + ".*"), error.getMessage());
        }
    }

    @Test
    void callsStartedWhileTheNodeIsDownSucceedOnceItIsBack() throws Exception {
        TestNode node = new TestNode(dir);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", node.bootstrap(), "retry.backoff.max.ms", "200"))) {
            admin.createTopics(List.of(new NewTopic("before", 1, (short) 1))).all().get();
            TopicPartition tp = new TopicPartition("before", 0);
            assertEquals(0, admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset());
            node.stop();
            CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("after", 2, (short) 1)));
            ListOffsetsResult offsets = admin.listOffsets(Map.of(tp, OffsetSpec.earliest()));
            node.startAgain();
            created.all().get();
            assertEquals(0, offsets.partitionResult(tp).get().offset());
            assertEquals(2, admin.describeTopics(List.of("after")).allTopicNames().get().get("after").partitions().size());
        } finally {
            node.close();
        }
    }

    @Test
    void closingAbortsCallsStillRetryingAndRefusesNewOnes() throws Exception {
        String address = "127.0.0.1:" + FreePorts.freePort();
        Admin admin = Admin.create(Map.of("bootstrap.servers", address, "client.id", "closing-test"));
        CompletableFuture<Void> pending = admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all();
        await().until(() -> threadNamed("tributary-admin-closing-test"));
        admin.close(Duration.ZERO);
        Throwable aborted = failure(pending);
        assertInstanceOf(TimeoutException.class, aborted);
        assertTrue(aborted.getMessage().contains("createTopics was aborted: the admin client was closed"),
                aborted.getMessage());
        assertInstanceOf(IllegalStateException.class, failure(admin.listTopics().names()));
        await().until(() -> !threadNamed("tributary-admin-closing-test"));
        admin.close();
    }

    @Test
    void closingFromAResultCallbackDoesNotWaitForItself() throws Exception {
        String address = "127.0.0.1:" + FreePorts.freePort();
        Admin admin = Admin.create(Map.of("bootstrap.servers", address));
        CompletableFuture<Void> longCall = admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all();
        CompletableFuture<String> closedBy = admin.listTopics(new ListTopicsOptions().timeoutMs(200)).names()
                .handle((names, error) -> {
                    admin.close();
                    return Thread.currentThread().getName();
                });
        await().until(longCall::isDone);
        assertTrue(failure(longCall).getMessage().contains("createTopics was aborted"));
        assertTrue(closedBy.get().startsWith("tributary-admin-"), closedBy.get());
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
