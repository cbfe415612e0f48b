package io.tributary.broker.group;

import static io.tributary.broker.group.ShardHarness.COORDINATOR_ID;
import static io.tributary.broker.group.ShardHarness.GROUP;
import static io.tributary.broker.group.ShardHarness.commitRequest;
import static io.tributary.broker.group.ShardHarness.deleteOffsetsRequest;
import static io.tributary.broker.group.ShardHarness.heartbeatRequest;
import static io.tributary.broker.group.ShardHarness.join;
import static io.tributary.broker.group.ShardHarness.joinRequest;
import static io.tributary.broker.group.ShardHarness.joinStatic;
import static io.tributary.broker.group.ShardHarness.leave;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.v1.TopicPartitions;
import io.tributary.proto.v1.OwnedPartitions;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupListing;
import io.tributary.proto.v1.GroupResult;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetDeleteResponse;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every refused request to {@link GroupCoordinatorShard} answers its error, returns no records and
 * leaves the described, listed and fetched state as it was. Each case runs against a fresh group
 * with a dynamic member "a" (epoch 2 after a requested rebalance), a static member that left
 * temporarily, and an offset-only group "offsets-only".
 */
@Tag("unit")
class GroupCoordinatorShardRefusalsTest {

    private static final String TOPIC = "t";
    private static final String OFFSETS_ONLY = "offsets-only";

    /** What a refused operation returned: the error that matters and the records it generated. */
    private record Outcome(ErrorCode code, List<CoordinatorRecord> records) {
    }

    private record Case(String name, ErrorCode expected, Function<ShardHarness, Outcome> operation) {
    }

    private static ShardHarness fixture() {
        ShardHarness h = new ShardHarness();
        h.topics.put(TOPIC, 6);
        h.topics.put("u", 2);
        h.heartbeat(join("a", TOPIC));
        h.heartbeat(joinStatic("s", "instance-s", TOPIC));
        h.settle("a", "s");
        h.heartbeat(heartbeatRequest("a", h.epoch("a")).toBuilder().setRebalanceRequested(true).build());
        h.settle("a", "s");
        h.heartbeat(leave("s", -2).toBuilder().setInstanceId("instance-s").build());
        h.commit(commitRequest("", -1, TOPIC, 0, 5, "").toBuilder().setGroupId(OFFSETS_ONLY).build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, h.describe().getErrorCode());
        return h;
    }

    private static Outcome heartbeat(ShardHarness h, ConsumerGroupHeartbeatRequest request) {
        CoordinatorResult<ConsumerGroupHeartbeatResponse> result =
                h.leader.heartbeat(request, ShardHarness.CLIENT_HOST, h.now, h.topics);
        return new Outcome(result.response().getErrorCode(), result.records());
    }

    private static Outcome commit(ShardHarness h, OffsetCommitRequest request) {
        CoordinatorResult<OffsetCommitResponse> result = h.leader.commitOffsets(request, h.now, h.topics);
        OffsetCommitResponse response = result.response();
        ErrorCode code = response.getErrorCode() != ErrorCode.ERROR_CODE_NONE ? response.getErrorCode()
                : response.getPartitions(0).getErrorCode();
        return new Outcome(code, result.records());
    }

    private static Outcome deleteOffsets(ShardHarness h, String groupId, String topic) {
        CoordinatorResult<OffsetDeleteResponse> result = h.leader.deleteOffsets(deleteOffsetsRequest(groupId, topic,
                0), h.topics);
        OffsetDeleteResponse response = result.response();
        ErrorCode code = response.getErrorCode() != ErrorCode.ERROR_CODE_NONE ? response.getErrorCode()
                : response.getPartitions(0).getErrorCode();
        return new Outcome(code, result.records());
    }

    private static ConsumerGroupHeartbeatRequest.Builder joining(String memberId) {
        return joinRequest(memberId, TOPIC);
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>(heartbeatCases());
        cases.addAll(offsetAndGroupCases());
        return cases;
    }

    private static List<Case> heartbeatCases() {
        return List.of(
                new Case("heartbeat with an empty group id", ErrorCode.ERROR_CODE_INVALID_GROUP_ID,
                        h -> heartbeat(h, joining("n").setGroupId("").build())),
                new Case("heartbeat with a 256-character group id", ErrorCode.ERROR_CODE_INVALID_GROUP_ID,
                        h -> heartbeat(h, joining("n").setGroupId("g".repeat(256)).build())),
                new Case("heartbeat with an empty member id", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> heartbeat(h, joining("").build())),
                new Case("heartbeat with epoch -3", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> heartbeat(h, heartbeatRequest("a", -3))),
                new Case("join owning a negative partition", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> heartbeat(h, joining("n").setOwnedPartitions(OwnedPartitions.newBuilder().addTopics(TopicPartitions.newBuilder()
                                        .setTopic(TOPIC).addPartitions(-1))).build())),
                new Case("join with a 256-character client id", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> heartbeat(h, joining("n").setClientId("c".repeat(256)).build())),
                new Case("join with a 250-character topic name", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> heartbeat(h, joining("n").setSubscription(Subscription.newBuilder()
                                .addTopicNames("t".repeat(250))).build())),
                new Case("join without a subscription", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> heartbeat(h, joining("n").clearSubscription().build())),
                new Case("join with a regex that does not compile", ErrorCode.ERROR_CODE_INVALID_REGULAR_EXPRESSION,
                        h -> heartbeat(h, joining("n").setSubscription(Subscription.newBuilder().setTopicRegex("("))
                                .build())),
                new Case("join with both topic names and a regex", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> heartbeat(h, joining("n").setSubscription(Subscription.newBuilder().addTopicNames(TOPIC)
                                .setTopicRegex("t.*")).build())),
                new Case("join with a blank topic name", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> heartbeat(h, joining("n").setSubscription(Subscription.newBuilder().addTopicNames(" "))
                                .build())),
                new Case("join with a session timeout over the maximum", ErrorCode.ERROR_CODE_INVALID_SESSION_TIMEOUT,
                        h -> heartbeat(h, joining("n").setSessionTimeoutMs(1_800_001).build())),
                new Case("join with a negative session timeout", ErrorCode.ERROR_CODE_INVALID_SESSION_TIMEOUT,
                        h -> heartbeat(h, joining("n").setSessionTimeoutMs(-5).build())),
                new Case("join with a rebalance timeout over the maximum",
                        ErrorCode.ERROR_CODE_INVALID_SESSION_TIMEOUT,
                        h -> heartbeat(h, joining("n").setRebalanceTimeoutMs(1_800_001).build())),
                new Case("join asking for an unknown assignor", ErrorCode.ERROR_CODE_UNSUPPORTED_ASSIGNOR,
                        h -> heartbeat(h, joining("n").setServerAssignor("nope").build())),
                new Case("member switching to an unknown assignor", ErrorCode.ERROR_CODE_UNSUPPORTED_ASSIGNOR,
                        h -> heartbeat(h, heartbeatRequest("a", h.epoch("a")).toBuilder().setServerAssignor("nope")
                                .build())),
                new Case("member switching to a regex that does not compile",
                        ErrorCode.ERROR_CODE_INVALID_REGULAR_EXPRESSION,
                        h -> heartbeat(h, heartbeatRequest("a", h.epoch("a")).toBuilder().setSubscription(
                                Subscription.newBuilder().setTopicRegex("[")).build())),
                new Case("heartbeat from an unknown member", ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID,
                        h -> heartbeat(h, heartbeatRequest("stranger", 2))),
                new Case("heartbeat to an unknown group", ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID,
                        h -> heartbeat(h, heartbeatRequest("a", 2).toBuilder().setGroupId("elsewhere").build())),
                new Case("heartbeat at a wrong epoch", ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH,
                        h -> heartbeat(h, heartbeatRequest("a", h.epoch("a") + 1))),
                new Case("dynamic member leaving temporarily", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> heartbeat(h, leave("a", -2))));
    }

    private static List<Case> offsetAndGroupCases() {
        return List.of(
                new Case("commit with an empty group id", ErrorCode.ERROR_CODE_INVALID_GROUP_ID,
                        h -> commit(h, commitRequest("a", 2, TOPIC, 0, 1, "").toBuilder().setGroupId("").build())),
                new Case("commit without partitions", ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        h -> commit(h, commitRequest("a", 2, TOPIC, 0, 1, "").toBuilder().clearTopics().build())),
                new Case("commit at a stale epoch", ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH,
                        h -> commit(h, commitRequest("a", h.epoch("a") - 1, TOPIC, 0, 1, ""))),
                new Case("commit by a static member that left", ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID,
                        h -> commit(h, commitRequest("s", 2, TOPIC, 0, 1, ""))),
                new Case("non-member commit to an active group", ErrorCode.ERROR_CODE_NON_EMPTY_GROUP,
                        h -> commit(h, commitRequest("", -1, TOPIC, 0, 1, ""))),
                new Case("commit to an unknown topic", ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                        h -> commit(h, commitRequest("", -1, "nope", 0, 1, "").toBuilder().setGroupId(OFFSETS_ONLY)
                                .build())),
                new Case("commit with oversized metadata", ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE,
                        h -> commit(h, commitRequest("", -1, TOPIC, 0, 1, "m".repeat(4097)).toBuilder()
                                .setGroupId(OFFSETS_ONLY).build())),
                new Case("delete offsets of a subscribed topic", ErrorCode.ERROR_CODE_GROUP_SUBSCRIBED_TO_TOPIC,
                        h -> deleteOffsets(h, GROUP, TOPIC)),
                new Case("delete offsets of an unknown group", ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND,
                        h -> deleteOffsets(h, "elsewhere", TOPIC)),
                new Case("delete a group with members", ErrorCode.ERROR_CODE_NON_EMPTY_GROUP,
                        h -> outcomeOf(h.leader.deleteGroup(GROUP))),
                new Case("delete an unknown group", ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND,
                        h -> outcomeOf(h.leader.deleteGroup("elsewhere"))),
                new Case("delete a group with an invalid id", ErrorCode.ERROR_CODE_INVALID_GROUP_ID,
                        h -> outcomeOf(h.leader.deleteGroup(""))),
                new Case("fetch with an invalid group id", ErrorCode.ERROR_CODE_INVALID_GROUP_ID,
                        h -> new Outcome(h.leader.fetchOffsets(OffsetFetchRequest.newBuilder().build()).getErrorCode(),
                                List.of())));
    }

    private static Outcome outcomeOf(CoordinatorResult<GroupResult> result) {
        return new Outcome(result.response().getErrorCode(), result.records());
    }

    @TestFactory
    Stream<DynamicTest> testARefusedRequestWritesNothingAndChangesNothing() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            ShardHarness h = fixture();
            GroupDescription group = h.describe();
            GroupDescription offsetsOnly = h.leader.describeGroup(OFFSETS_ONLY, COORDINATOR_ID);
            List<GroupListing> listing = h.leader.listGroups(Set.of(), COORDINATOR_ID);

            Outcome outcome = c.operation().apply(h);

            assertEquals(c.expected(), outcome.code(), c.name());
            assertTrue(outcome.records().isEmpty(), c.name() + " wrote " + outcome.records());
            assertEquals(group, h.describe(), c.name());
            assertEquals(offsetsOnly, h.leader.describeGroup(OFFSETS_ONLY, COORDINATOR_ID), c.name());
            assertEquals(listing, h.leader.listGroups(Set.of(), COORDINATOR_ID), c.name());
            h.assertFollowerInSync(GROUP, OFFSETS_ONLY);
        }));
    }
}
