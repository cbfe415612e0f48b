package io.tributary.client.admin;

import static io.tributary.client.admin.AdminIntegrationTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.UnknownServerException;
import io.tributary.proto.v1.CreateTopicResult;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsPartitionResponse;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.ListOffsetsResponse;
import io.tributary.proto.v1.ListTopicsResponse;
import io.tributary.proto.v1.MetadataResponse;
import io.tributary.proto.v1.PartitionMetadata;
import io.tributary.proto.v1.TopicMetadata;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Retry, error and routing behaviour against scripted brokers, for answers a real node rarely gives. */
@Tag("integration")
class FakeBrokerAdminTest {

    static final TopicPartition T0 = new TopicPartition("t", 0);
    static final TopicPartition T1 = new TopicPartition("t", 1);

    final FakeBrokers fakes = new FakeBrokers();

    @AfterEach
    void closeAll() {
        fakes.close();
    }

    FakeBroker broker(int nodeId) {
        return fakes.broker(nodeId);
    }

    Admin admin(FakeBroker bootstrap) {
        return fakes.admin(bootstrap);
    }

    static CreateTopicsResponse created(String... names) {
        CreateTopicsResponse.Builder response = CreateTopicsResponse.newBuilder();
        for (String name : names) {
            response.addTopics(CreateTopicResult.newBuilder().setName(name).setErrorCode(ErrorCode.ERROR_CODE_NONE)
                    .setNumPartitions(1).setReplicationFactor(1).setTopicId("00000000-0000-0000-0000-000000000001"));
        }
        return response.build();
    }

    @Test
    void retriesUnavailableUntilTheBrokerAnswers() throws Exception {
        FakeBroker broker = broker(1);
        AtomicInteger calls = new AtomicInteger();
        broker.createTopics = request -> calls.incrementAndGet() <= 2
                ? Status.UNAVAILABLE.withDescription("starting up") : created("a");
        admin(broker).createTopics(List.of(new NewTopic("a", 1, (short) 1))).all().get();
        assertEquals(3, broker.createTopicsRequests.size());
    }

    @Test
    void aFatalStatusFailsAtOnceWithTheMappedException() {
        FakeBroker broker = broker(1);
        broker.createTopics = request -> Status.INVALID_ARGUMENT.withDescription("topics names topic 'a' twice");
        Throwable error = failure(admin(broker).createTopics(List.of(new NewTopic("a", 1, (short) 1))).all());
        assertInstanceOf(InvalidRequestException.class, error);
        assertEquals("INVALID_ARGUMENT from " + broker.address() + ": topics names topic 'a' twice", error.getMessage());
        assertEquals(1, broker.createTopicsRequests.size());
    }

    @Test
    void aBrokerThatStaysUnavailableTimesOutNamingItsLastAnswer() {
        FakeBroker broker = broker(1);
        broker.createTopics = request -> Status.UNAVAILABLE.withDescription("draining");
        CreateTopicsResult result = admin(broker).createTopics(List.of(new NewTopic("a", 1, (short) 1)),
                new CreateTopicsOptions().timeoutMs(300));
        Throwable error = failure(result.values().get("a"));
        assertInstanceOf(TimeoutException.class, error);
        assertTrue(error.getMessage().matches("createTopics timed out after \\d+ ms; last error: UNAVAILABLE from "
                + broker.address() + ": draining"), error.getMessage());
        assertTrue(broker.createTopicsRequests.size() > 1, "retried");
    }

    @Test
    void aTopicTheResponseLeavesOutFails() throws Exception {
        FakeBroker broker = broker(1);
        broker.createTopics = request -> created("a");
        CreateTopicsResult result = admin(broker).createTopics(List.of(new NewTopic("a", 1, (short) 1),
                new NewTopic("b", 1, (short) 1)));
        result.values().get("a").get();
        Throwable error = failure(result.values().get("b"));
        assertInstanceOf(UnknownServerException.class, error);
        assertTrue(error.getMessage().contains("no result for topic 'b'"), error.getMessage());
    }

    @Test
    void listsInternalTopicsOnlyWhenAsked() throws Exception {
        FakeBroker broker = broker(1);
        broker.listTopics = request -> {
            ListTopicsResponse.Builder response = ListTopicsResponse.newBuilder();
            if (request.getIncludeInternal()) {
                response.addTopicsBuilder().setName("__consumer_offsets")
                        .setTopicId("00000000-0000-0000-0000-000000000002").setInternal(true);
            }
            response.addTopicsBuilder().setName("orders").setTopicId("00000000-0000-0000-0000-000000000003");
            return response.build();
        };
        Admin admin = admin(broker);
        assertEquals(List.of("orders"), List.copyOf(admin.listTopics().names().get()));
        Map<String, TopicListing> all = admin.listTopics(new ListTopicsOptions().listInternal(true))
                .namesToListings().get();
        assertEquals(List.of("__consumer_offsets", "orders"), List.copyOf(all.keySet()));
        assertTrue(all.get("__consumer_offsets").isInternal());
        assertFalse(all.get("orders").isInternal());
        assertEquals(List.of(false, true), broker.listTopicsRequests.stream().map(r -> r.getIncludeInternal()).toList());
    }

    /** Metadata for topic "t" with two partitions, their leaders given by the suppliers. */
    static MetadataResponse metadata(IntSupplier leaderOf0, IntSupplier leaderOf1, FakeBroker... brokers) {
        MetadataResponse.Builder response = MetadataResponse.newBuilder().setClusterId("fake").setControllerId(1);
        for (FakeBroker broker : brokers) {
            response.addBrokers(broker.endpoint());
        }
        TopicMetadata.Builder topic = response.addTopicsBuilder().setName("t").setErrorCode(ErrorCode.ERROR_CODE_NONE);
        int[] leaders = {leaderOf0.getAsInt(), leaderOf1.getAsInt()};
        for (int p = 0; p < 2; p++) {
            topic.addPartitions(PartitionMetadata.newBuilder().setPartition(p).setLeaderId(leaders[p]).setLeaderEpoch(3)
                    .addReplicas(1).addReplicas(2));
        }
        return response.build();
    }

    /** Answers every partition of the request with offset 100 + partition. */
    static ListOffsetsResponse offsets(ListOffsetsRequest request) {
        ListOffsetsResponse.Builder response = ListOffsetsResponse.newBuilder();
        for (ListOffsetsPartition p : request.getPartitionsList()) {
            response.addPartitions(ListOffsetsPartitionResponse.newBuilder().setTopic(p.getTopic())
                    .setPartition(p.getPartition()).setErrorCode(ErrorCode.ERROR_CODE_NONE)
                    .setOffset(100 + p.getPartition()).setTimestampMs(-1).setLeaderEpoch(3));
        }
        return response.build();
    }

    static ListOffsetsResponse notLeader(ListOffsetsRequest request) {
        ListOffsetsResponse.Builder response = ListOffsetsResponse.newBuilder();
        for (ListOffsetsPartition p : request.getPartitionsList()) {
            response.addPartitions(ListOffsetsPartitionResponse.newBuilder().setTopic(p.getTopic())
                    .setPartition(p.getPartition()).setErrorCode(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER)
                    .setErrorMessage("not the leader any more").setOffset(-1).setTimestampMs(-1).setLeaderEpoch(-1));
        }
        return response.build();
    }

    static List<TopicPartition> partitionsOf(ListOffsetsRequest request) {
        return request.getPartitionsList().stream().map(p -> new TopicPartition(p.getTopic(), p.getPartition()))
                .toList();
    }

    @Test
    void listOffsetsGoesToEachLeaderAndFollowsALeaderThatMoved() throws Exception {
        FakeBroker a = broker(1);
        FakeBroker b = broker(2);
        AtomicInteger leaderOf1 = new AtomicInteger(2);
        a.metadata = request -> metadata(() -> 1, leaderOf1::get, a, b);
        b.metadata = a.metadata;
        a.listOffsets = FakeBrokerAdminTest::offsets;
        b.listOffsets = request -> {
            leaderOf1.set(1);
            return notLeader(request);
        };
        Map<TopicPartition, ListOffsetsResultInfo> all = admin(a).listOffsets(Map.of(T0, OffsetSpec.latest(), T1,
                OffsetSpec.earliest())).all().get();
        assertEquals(100, all.get(T0).offset());
        assertEquals(101, all.get(T1).offset());
        assertEquals(3, all.get(T1).leaderEpoch().orElseThrow());
        assertEquals(List.of(List.of(T1)), b.listOffsetsRequests.stream().map(FakeBrokerAdminTest::partitionsOf).toList());
        assertEquals(List.of(List.of(T0), List.of(T1)),
                a.listOffsetsRequests.stream().map(FakeBrokerAdminTest::partitionsOf).toList());
        assertEquals(ListOffsetsPartition.QueryCase.SPEC, a.listOffsetsRequests.get(1).getPartitions(0).getQueryCase());
        assertTrue(a.metadataRequests.size() + b.metadataRequests.size() >= 2, "metadata refreshed after NOT_LEADER");
    }

    @Test
    void listOffsetsWaitsForAPartitionWithoutALeader() throws Exception {
        FakeBroker a = broker(1);
        AtomicInteger metadataCalls = new AtomicInteger();
        a.metadata = request -> metadata(() -> metadataCalls.incrementAndGet() <= 2 ? -1 : 1, () -> 1, a);
        a.listOffsets = FakeBrokerAdminTest::offsets;
        ListOffsetsResultInfo info = admin(a).listOffsets(Map.of(T0, OffsetSpec.forTimestamp(42)))
                .partitionResult(T0).get();
        assertEquals(100, info.offset());
        assertEquals(42, a.listOffsetsRequests.get(0).getPartitions(0).getTimestampMs());
        assertEquals(3, metadataCalls.get());
    }
}
