package io.tributary.client.admin;

import static io.tributary.client.admin.AdminIntegrationTest.failure;
import static io.tributary.client.admin.FakeBrokerAdminTest.T0;
import static io.tributary.client.admin.FakeBrokerAdminTest.T1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.GroupNotEmptyException;
import io.tributary.common.errors.InvalidGroupIdException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.UnknownServerException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.v1.Coordinator;
import io.tributary.proto.v1.DescribeGroupsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FindCoordinatorResponse;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupListing;
import io.tributary.proto.v1.ListGroupsResponse;
import io.tributary.proto.v1.MetadataResponse;
import io.tributary.proto.v1.OffsetCommitPartitionResult;
import io.tributary.proto.v1.OffsetCommitResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Consumer-group calls against scripted brokers, for the answers a real cluster gives only in races
 * (a coordinator that moved or is loading) or never (an answer that leaves a group out).
 */
@Tag("integration")
class FakeBrokerGroupAdminTest {

    final FakeBrokers fakes = new FakeBrokers();

    @AfterEach
    void closeAll() {
        fakes.close();
    }

    /** Brokers that all answer Metadata with every one of them. */
    FakeBroker[] cluster(int size) {
        FakeBroker[] brokers = new FakeBroker[size];
        for (int i = 0; i < size; i++) {
            brokers[i] = fakes.broker(i + 1);
        }
        MetadataResponse.Builder metadata = MetadataResponse.newBuilder().setClusterId("fake").setControllerId(1);
        for (FakeBroker broker : brokers) {
            metadata.addBrokers(broker.endpoint());
        }
        for (FakeBroker broker : brokers) {
            broker.metadata = request -> metadata.build();
        }
        return brokers;
    }

    Admin admin(FakeBroker bootstrap) {
        return fakes.admin(bootstrap);
    }

    static FindCoordinatorResponse coordinatorIs(FakeBroker broker) {
        return FindCoordinatorResponse.newBuilder().addCoordinators(Coordinator.newBuilder().setGroupId("g")
                .setErrorCode(ErrorCode.ERROR_CODE_NONE).setNode(broker.endpoint())).build();
    }

    static DescribeGroupsResponse described(ErrorCode code, int coordinatorId) {
        return DescribeGroupsResponse.newBuilder().addGroups(GroupDescription.newBuilder().setGroupId("g")
                .setErrorCode(code).setState("Empty").setAssignor("sticky").setCoordinatorId(coordinatorId)).build();
    }

    @Test
    void notCoordinatorMakesTheAdminFindTheCoordinatorAgain() throws Exception {
        FakeBroker[] brokers = cluster(2);
        AtomicInteger finds = new AtomicInteger();
        brokers[0].findCoordinator = request -> coordinatorIs(brokers[finds.incrementAndGet() == 1 ? 0 : 1]);
        brokers[1].findCoordinator = brokers[0].findCoordinator;
        brokers[0].describeGroups = request -> described(ErrorCode.ERROR_CODE_NOT_COORDINATOR, 1);
        brokers[1].describeGroups = request -> described(ErrorCode.ERROR_CODE_NONE, 2);

        ConsumerGroupDescription description = admin(brokers[0]).describeConsumerGroups(List.of("g"))
                .describedGroups().get("g").get();

        assertEquals(2, description.coordinator().id());
        assertEquals(ConsumerGroupState.EMPTY, description.state());
        assertEquals(2, finds.get());
        assertEquals(1, brokers[0].describeGroupsRequests.size());
    }

    @Test
    void aCoordinatorStillLoadingIsAskedAgainWithoutLookingItUpAgain() throws Exception {
        FakeBroker[] brokers = cluster(1);
        brokers[0].findCoordinator = request -> coordinatorIs(brokers[0]);
        AtomicInteger describes = new AtomicInteger();
        brokers[0].describeGroups = request -> described(describes.incrementAndGet() <= 2
                ? ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.ERROR_CODE_NONE, 1);

        assertEquals("sticky", admin(brokers[0]).describeConsumerGroups(List.of("g")).all().get().get("g")
                .partitionAssignor());

        assertEquals(3, describes.get());
        assertEquals(1, brokers[0].findCoordinatorRequests.size());
    }

    @Test
    void aCoordinatorThatStaysUnavailableTimesOutNamingTheLastAnswer() {
        FakeBroker[] brokers = cluster(1);
        brokers[0].findCoordinator = request -> FindCoordinatorResponse.newBuilder().addCoordinators(Coordinator
                .newBuilder().setGroupId("g").setErrorCode(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE)
                .setErrorMessage("__consumer_offsets has no leader yet")).build();

        Throwable error = failure(admin(brokers[0]).listConsumerGroupOffsets("g",
                new ListConsumerGroupOffsetsOptions().timeoutMs(300)).partitionsToOffsetAndMetadata());

        assertInstanceOf(TimeoutException.class, error);
        assertTrue(error.getMessage().matches("listConsumerGroupOffsets of group 'g' timed out after \\d+ ms; "
                + "last error: __consumer_offsets has no leader yet"), error.getMessage());
        assertTrue(brokers[0].findCoordinatorRequests.size() > 1, "retried");
    }

    @Test
    void anInvalidGroupIdFailsAtOnce() {
        FakeBroker[] brokers = cluster(1);
        brokers[0].findCoordinator = request -> FindCoordinatorResponse.newBuilder().addCoordinators(Coordinator
                .newBuilder().setGroupId("").setErrorCode(ErrorCode.ERROR_CODE_INVALID_GROUP_ID)
                .setErrorMessage("the group id is empty")).build();

        Throwable error = failure(admin(brokers[0]).deleteConsumerGroups(List.of("")).all());

        assertInstanceOf(InvalidGroupIdException.class, error);
        assertEquals("the group id is empty", error.getMessage());
        assertEquals(1, brokers[0].findCoordinatorRequests.size());
    }

    @Test
    void aGroupTheAnswerLeavesOutFails() {
        FakeBroker[] brokers = cluster(1);
        brokers[0].findCoordinator = request -> coordinatorIs(brokers[0]);
        brokers[0].describeGroups = request -> DescribeGroupsResponse.getDefaultInstance();

        Throwable error = failure(admin(brokers[0]).describeConsumerGroups(List.of("g")).describedGroups().get("g"));

        assertInstanceOf(UnknownServerException.class, error);
        assertEquals("the coordinator sent no description of group 'g'", error.getMessage());
    }

    static Supplier<ListGroupsResponse> groups(String... ids) {
        return () -> {
            ListGroupsResponse.Builder response = ListGroupsResponse.newBuilder();
            for (String id : ids) {
                response.addGroups(GroupListing.newBuilder().setGroupId(id).setState("Stable").setGroupType("consumer"));
            }
            return response.build();
        };
    }

    @Test
    void listingAsksEveryBrokerAndReportsThoseThatCannotAnswer() throws Exception {
        FakeBroker[] brokers = cluster(3);
        Supplier<ListGroupsResponse> first = groups("b", "moving");
        Supplier<ListGroupsResponse> second = groups("moving", "a");
        brokers[0].listGroups = request -> first.get();
        brokers[1].listGroups = request -> second.get();
        brokers[2].listGroups = request -> Status.INTERNAL.withDescription("broken");
        ListConsumerGroupsResult result = admin(brokers[0]).listConsumerGroups(new ListConsumerGroupsOptions()
                .inStates(Set.of(ConsumerGroupState.STABLE)));

        assertEquals(List.of("a", "b", "moving"), result.valid().get().stream().map(ConsumerGroupListing::groupId)
                .toList());
        assertEquals(ConsumerGroupState.STABLE, result.valid().get().iterator().next().state());
        assertEquals(1, result.errors().get().size());
        Throwable error = failure(result.all());
        assertInstanceOf(UnknownServerException.class, error);
        assertEquals("INTERNAL from " + brokers[2].address() + ": broken", error.getMessage());
        for (FakeBroker broker : brokers) {
            assertEquals(List.of("Stable"), broker.listGroupsRequests.getFirst().getStatesFilterList());
        }
    }

    static OffsetCommitPartitionResult partitionResult(TopicPartition tp, ErrorCode code) {
        return OffsetCommitPartitionResult.newBuilder().setTopic(tp.topic()).setPartition(tp.partition())
                .setErrorCode(code).setErrorMessage(code == ErrorCode.ERROR_CODE_NONE ? "" : "no such partition").build();
    }

    @Test
    void commitsAsANonMemberAndSettlesEachPartition() throws Exception {
        FakeBroker[] brokers = cluster(1);
        brokers[0].findCoordinator = request -> coordinatorIs(brokers[0]);
        TopicPartition missing = new TopicPartition("t", 2);
        TopicPartition leftOut = new TopicPartition("u", 0);
        brokers[0].offsetCommit = request -> OffsetCommitResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE)
                .addPartitions(partitionResult(T0, ErrorCode.ERROR_CODE_NONE))
                .addPartitions(partitionResult(missing, ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION)).build();

        AlterConsumerGroupOffsetsResult result = admin(brokers[0]).alterConsumerGroupOffsets("g", Map.of(
                T0, new OffsetAndMetadata(5, "note"), missing, new OffsetAndMetadata(1), leftOut, new OffsetAndMetadata(2)));

        assertNull(result.partitionResult(T0).get());
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(result.partitionResult(missing)));
        assertEquals("the coordinator sent no result for partition u-0",
                failure(result.partitionResult(leftOut)).getMessage());
        var request = brokers[0].offsetCommitRequests.getFirst();
        assertEquals("", request.getMemberId());
        assertEquals(-1, request.getMemberEpoch());
        assertEquals(List.of("t", "u"), request.getTopicsList().stream().map(t -> t.getTopic()).toList());
        assertEquals("note", request.getTopics(0).getPartitionsList().stream().filter(p -> p.getPartition() == 0)
                .findFirst().orElseThrow().getMetadata());
    }

    @Test
    void aGroupLevelErrorFailsEveryPartition() {
        FakeBroker[] brokers = cluster(1);
        brokers[0].findCoordinator = request -> coordinatorIs(brokers[0]);
        brokers[0].offsetCommit = request -> OffsetCommitResponse.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP).setErrorMessage("group 'g' has 1 member").build();

        AlterConsumerGroupOffsetsResult result = admin(brokers[0]).alterConsumerGroupOffsets("g", Map.of(
                T0, new OffsetAndMetadata(5), T1, new OffsetAndMetadata(6)));

        for (TopicPartition tp : List.of(T0, T1)) {
            Throwable error = failure(result.partitionResult(tp));
            assertInstanceOf(GroupNotEmptyException.class, error);
            assertEquals("group 'g' has 1 member", error.getMessage());
        }
    }
}
