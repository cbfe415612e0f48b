package io.tributary.client.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tributary.client.Node;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.admin.TopicPartitionInfo;
import io.tributary.client.admin.internal.TopicOutcomes.Outcome;
import io.tributary.client.internal.ClientMetadata.HostPort;
import io.tributary.common.MockTime;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TopicExistsException;
import io.tributary.common.errors.UnknownServerException;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.PartitionMetadata;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AdminInternalsTest {

    @Test
    void backoffDoublesUpToTheMaximum() {
        AdminRuntime runtime = new AdminRuntime("unit", new AdminRuntime.Settings(1_000, 5_000, 100, 1_000),
                List.of("a:1", "b:2"), 300_000, new MockTime());
        try {
            assertEquals(List.of(100L, 200L, 400L, 800L, 1_000L, 1_000L),
                    List.of(0, 1, 2, 3, 4, 40).stream().map(runtime::backoffMs).toList());
            assertEquals(new HostPort("a", 1), runtime.target(0));
            assertEquals(new HostPort("b", 2), runtime.target(1));
            assertEquals(new HostPort("a", 1), runtime.target(2));
            assertEquals(5_000, runtime.deadline(null).timeoutMs());
            assertEquals(7, runtime.deadline(7).timeoutMs());
        } finally {
            runtime.close(0);
        }
    }

    @Test
    void anAttemptNeverOutlivesItsCall() {
        MockTime time = new MockTime();
        AdminRuntime runtime = new AdminRuntime("unit", new AdminRuntime.Settings(1_000, 5_000, 100, 1_000),
                List.of("a:1"), 300_000, time);
        try {
            Deadline deadline = runtime.deadline(1_500);
            assertEquals(1_000, runtime.attemptTimeoutMs(deadline));
            time.sleep(1_200);
            assertEquals(300, runtime.attemptTimeoutMs(deadline));
            time.sleep(1_000);
            assertEquals(1, runtime.attemptTimeoutMs(deadline));
        } finally {
            runtime.close(0);
        }
    }

    @Test
    void aTimeoutNamesTheCallTheElapsedTimeAndTheLastError() {
        MockTime time = new MockTime();
        Deadline deadline = new Deadline(time, 1_500);
        time.sleep(1_502);
        assertTrue(deadline.remainingMs() < 0);
        BrokerNotAvailableException last = new BrokerNotAvailableException("UNAVAILABLE from h:1: io exception",
                Status.UNAVAILABLE.withCause(new ConnectException("Connection refused")).asRuntimeException());
        TimeoutException e = deadline.timeout("createTopics", last, "unused");
        assertEquals("createTopics timed out after 1502 ms; last error: UNAVAILABLE from h:1: io exception "
                + "(Connection refused)", e.getMessage());
        assertSame(last, e.getCause());
        assertEquals("listTopics timed out after 1502 ms; no answer yet from h:1",
                deadline.timeout("listTopics", null, "no answer yet from h:1").getMessage());
    }

    @Test
    void topicOutcomesSettleEachTopicOnItsOwn() throws Exception {
        Map<String, CompletableFuture<String>> futures = new LinkedHashMap<>();
        List.of("ok", "taken", "missing").forEach(name -> futures.put(name, new CompletableFuture<>()));
        TopicOutcomes.complete(futures, "response", null, response -> List.of(
                new Outcome<>("ok", ErrorCode.ERROR_CODE_NONE, "", () -> response + " for ok"),
                new Outcome<>("taken", ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS, "topic 'taken' already exists",
                        () -> "unused"),
                new Outcome<>("unasked", ErrorCode.ERROR_CODE_NONE, "", () -> "ignored")));
        assertEquals("response for ok", futures.get("ok").get());
        Throwable taken = cause(futures.get("taken"));
        assertInstanceOf(TopicExistsException.class, taken);
        assertEquals("topic 'taken' already exists", taken.getMessage());
        assertInstanceOf(UnknownServerException.class, cause(futures.get("missing")));
    }

    @Test
    void aFailedCallFailsEveryTopicWithItsUnwrappedError() {
        Map<String, CompletableFuture<String>> futures = new LinkedHashMap<>();
        List.of("a", "b").forEach(name -> futures.put(name, new CompletableFuture<>()));
        TimeoutException timeout = new TimeoutException("createTopics timed out");
        TopicOutcomes.<String, String>complete(futures, null, new CompletionException(timeout), response -> {
            throw new AssertionError("not called");
        });
        futures.values().forEach(future -> assertSame(timeout, cause(future)));
    }

    @Test
    void descriptionsResolveReplicaIdsToNodes() {
        Node one = new Node(1, "h1", 9092, "r1");
        io.tributary.proto.v1.TopicDescription proto = io.tributary.proto.v1.TopicDescription.newBuilder()
                .setName("t").setTopicId("00000000-0000-0000-0000-00000000000a").putConfigs("retention.ms", "5")
                .addPartitions(PartitionMetadata.newBuilder().setPartition(1).setLeaderId(-1).addReplicas(1)
                        .addReplicas(7))
                .addPartitions(PartitionMetadata.newBuilder().setPartition(0).setLeaderId(1).addReplicas(1).addIsr(1))
                .build();
        TopicDescription description = Conversions.description(proto, Map.of(1, one));
        assertEquals(new UUID(0, 10), description.topicId());
        assertEquals(Map.of("retention.ms", "5"), description.configs());
        assertEquals(new TopicPartitionInfo(0, one, List.of(one), List.of(one)), description.partitions().get(0));
        TopicPartitionInfo leaderless = description.partitions().get(1);
        assertNull(leaderless.leader());
        assertEquals(List.of(one, new Node(7, "", -1, null)), leaderless.replicas());
        assertEquals(new UUID(0, 0), Conversions.topicId(""));
    }

    @Test
    void allValuesKeepsTheGivenOrder() throws Exception {
        Map<String, CompletableFuture<Integer>> futures = new LinkedHashMap<>();
        futures.put("z", CompletableFuture.completedFuture(1));
        futures.put("a", CompletableFuture.completedFuture(2));
        assertEquals(List.of("z", "a"), List.copyOf(Futures.allValues(futures).get().keySet()));
        futures.put("f", CompletableFuture.failedFuture(new IllegalStateException("boom")));
        assertInstanceOf(IllegalStateException.class, cause(Futures.allValues(futures)));
    }

    private static Throwable cause(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, future::get).getCause();
    }
}
