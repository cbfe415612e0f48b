package io.tributary.broker.group;

import static io.tributary.broker.group.ShardHarness.GROUP;
import static io.tributary.broker.group.ShardHarness.RETENTION_CHECK_INTERVAL_MS;
import static io.tributary.broker.group.ShardHarness.RETENTION_MS;
import static io.tributary.broker.group.ShardHarness.commitRequest;
import static io.tributary.broker.group.ShardHarness.deleteOffsetsRequest;
import static io.tributary.broker.group.ShardHarness.heartbeatRequest;
import static io.tributary.broker.group.ShardHarness.join;
import static io.tributary.broker.group.ShardHarness.leave;
import static io.tributary.broker.group.ShardHarness.minus;
import static io.tributary.broker.group.ShardHarness.tps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.CommittedOffset;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupListing;
import io.tributary.proto.v1.GroupResult;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitPartitionResult;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetDeleteRequest;
import io.tributary.proto.v1.OffsetDeleteResponse;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.TopicPartitions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Offsets in {@link GroupCoordinatorShard}: who may commit what, per-partition validation, offset
 * deletion, group deletion and retention, each checked against what a follower replaying the
 * records sees.
 */
@Tag("unit")
class GroupCoordinatorShardOffsetsTest {

    private static final String TOPIC = "t";
    private static final String OTHER = "u";

    private ShardHarness h;

    @BeforeEach
    void setUp() {
        h = new ShardHarness();
        h.topics.put(TOPIC, 6);
        h.topics.put(OTHER, 2);
    }

    private void twoMembersWithThreeEach() {
        h.heartbeat(join("a", TOPIC));
        h.heartbeat(join("b", TOPIC));
        h.settle("a", "b");
    }

    private TopicPartition first(String memberId) {
        return h.answered(memberId).iterator().next();
    }

    private CommittedOffset fetched(TopicPartition tp) {
        return h.leader.fetchOffsets(OffsetFetchRequest.newBuilder().setGroupId(GROUP).addTopics(TopicPartitions
                .newBuilder().setTopic(tp.topic()).addPartitions(tp.partition())).build()).getOffsets(0);
    }

    private static OffsetCommitPartitionResult only(OffsetCommitResponse response) {
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), response.toString());
        assertEquals(1, response.getPartitionsCount(), response.toString());
        return response.getPartitions(0);
    }

    @Test
    void testAMemberCommitsItsOwnPartitionsButNotOthers() {
        twoMembersWithThreeEach();
        TopicPartition owned = first("a");
        TopicPartition notOwned = first("b");
        h.now = 1_234;
        OffsetCommitRequest both = commitRequest("a", h.epoch("a"), owned, 42).toBuilder()
                .addTopics(commitRequest("a", 0, notOwned, 7).getTopics(0)).build();

        CoordinatorResult<OffsetCommitResponse> result = h.commit(both);

        assertEquals(ErrorCode.ERROR_CODE_NONE, result.response().getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.response().getPartitions(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_PARTITION_NOT_ASSIGNED, result.response().getPartitions(1).getErrorCode());
        assertEquals(1, result.records().size(), "only the accepted partition is written");
        CommittedOffset offset = fetched(owned);
        assertEquals(42, offset.getCommittedOffset());
        assertEquals(3, offset.getCommittedLeaderEpoch());
        assertEquals(1_234, offset.getCommitTimestampMs());
        assertEquals(-1, fetched(notOwned).getCommittedOffset());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAMemberMayCommitAPartitionItIsReleasing() {
        twoMembersWithThreeEach();
        h.heartbeat(join("c", TOPIC));
        Set<TopicPartition> before = h.answered("a");
        h.heartbeat(heartbeatRequest("a", h.epoch("a"))); // told to release one
        TopicPartition releasing = minus(before, h.answered("a")).iterator().next();

        assertEquals(ErrorCode.ERROR_CODE_NONE,
                only(h.commit(commitRequest("a", h.epoch("a"), releasing, 9)).response()).getErrorCode());
        assertEquals(9, fetched(releasing).getCommittedOffset());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testCommitsAtAnOldOrFutureEpochOrFromAStrangerAreRefused() {
        h.heartbeat(join("a", TOPIC));
        h.heartbeat(heartbeatRequest("a", 1).toBuilder().setRebalanceRequested(true).build());
        assertEquals(2, h.epoch("a"));
        TopicPartition owned = first("a");

        assertGroupRefused(commitRequest("a", 1, owned, 5), ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH);
        assertGroupRefused(commitRequest("a", 3, owned, 5), ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH);
        assertGroupRefused(commitRequest("stranger", 2, owned, 5), ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID);
        assertGroupRefused(commitRequest("", -1, owned, 5), ErrorCode.ERROR_CODE_NON_EMPTY_GROUP);
        assertGroupRefused(commitRequest("", 0, owned, 5), ErrorCode.ERROR_CODE_INVALID_REQUEST);
        assertEquals(-1, fetched(owned).getCommittedOffset());
        h.assertFollowerInSync(GROUP);
    }

    private void assertGroupRefused(OffsetCommitRequest request, ErrorCode expected) {
        GroupDescription before = h.describe();
        CoordinatorResult<OffsetCommitResponse> result = h.commit(request);
        assertEquals(expected, result.response().getErrorCode(), result.response().toString());
        assertTrue(result.records().isEmpty(), "a refused commit writes nothing");
        assertEquals(before, h.describe());
    }

    @Test
    void testANonMemberCommitsToAnEmptyOrUnknownGroup() {
        CoordinatorResult<OffsetCommitResponse> unknown = h.commit(commitRequest("", -1, TOPIC, 0, 11, "m"));
        assertEquals(ErrorCode.ERROR_CODE_NONE, only(unknown.response()).getErrorCode());
        assertEquals(1, unknown.records().size());
        assertEquals("Empty", h.describe().getState());
        assertEquals(List.of(GroupListing.newBuilder().setGroupId(GROUP).setState("Empty").setGroupType("consumer")
                .setCoordinatorId(ShardHarness.COORDINATOR_ID).build()), h.leader.listGroups(Set.of(), 1));

        h.heartbeat(join("a", TOPIC));
        h.heartbeat(leave("a", -1));
        assertEquals("Empty", h.describe().getState());
        CoordinatorResult<OffsetCommitResponse> empty = h.commit(commitRequest("", -1, TOPIC, 1, 12, ""));
        assertEquals(ErrorCode.ERROR_CODE_NONE, only(empty.response()).getErrorCode());
        assertEquals(11, fetched(new TopicPartition(TOPIC, 0)).getCommittedOffset());
        assertEquals(12, fetched(new TopicPartition(TOPIC, 1)).getCommittedOffset());
        assertEquals("m", fetched(new TopicPartition(TOPIC, 0)).getMetadata());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testPerPartitionRefusalsWriteNothingForThatPartition() {
        String atLimit = "x".repeat(4096);
        String overLimit = "x".repeat(4097);
        String overLimitInBytes = "é".repeat(2049); // 2049 characters, 4098 UTF-8 bytes
        assertPartitionResult(commitRequest("", -1, TOPIC, 0, 1, atLimit), ErrorCode.ERROR_CODE_NONE);
        assertPartitionResult(commitRequest("", -1, TOPIC, 0, 2, overLimit),
                ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE);
        assertPartitionResult(commitRequest("", -1, TOPIC, 0, 3, overLimitInBytes),
                ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE);
        assertPartitionResult(commitRequest("", -1, "no-such-topic", 0, 4, ""),
                ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);
        assertPartitionResult(commitRequest("", -1, TOPIC, 6, 5, ""), ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);
        assertPartitionResult(commitRequest("", -1, TOPIC, 0, -1, ""), ErrorCode.ERROR_CODE_INVALID_REQUEST);
        assertEquals(1, fetched(new TopicPartition(TOPIC, 0)).getCommittedOffset(), "only the first commit landed");
        assertEquals(1, h.fetchAll(h.leader, GROUP).getOffsetsCount());
        h.assertFollowerInSync(GROUP);
    }

    private void assertPartitionResult(OffsetCommitRequest request, ErrorCode expected) {
        CoordinatorResult<OffsetCommitResponse> result = h.commit(request);
        assertEquals(expected, only(result.response()).getErrorCode(), result.response().toString());
        assertEquals(expected == ErrorCode.ERROR_CODE_NONE ? 1 : 0, result.records().size());
    }

    @Test
    void testOffsetsOfASubscribedTopicCannotBeDeletedButOthersCan() {
        h.commit(commitRequest("", -1, OTHER, 0, 3, ""));
        h.commit(commitRequest("", -1, TOPIC, 0, 4, ""));
        h.heartbeat(join("a", TOPIC));

        CoordinatorResult<OffsetDeleteResponse> subscribed = h.deleteOffsets(deleteOffsetsRequest(GROUP, TOPIC, 0));
        assertEquals(ErrorCode.ERROR_CODE_NONE, subscribed.response().getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_GROUP_SUBSCRIBED_TO_TOPIC,
                subscribed.response().getPartitions(0).getErrorCode());
        assertTrue(subscribed.records().isEmpty());
        assertEquals(4, fetched(new TopicPartition(TOPIC, 0)).getCommittedOffset());

        CoordinatorResult<OffsetDeleteResponse> other = h.deleteOffsets(deleteOffsetsRequest(GROUP, OTHER, 0));
        assertEquals(ErrorCode.ERROR_CODE_NONE, other.response().getPartitions(0).getErrorCode());
        assertEquals(1, other.records().size());
        assertTrue(other.records().get(0).isTombstone());
        assertEquals(-1, fetched(new TopicPartition(OTHER, 0)).getCommittedOffset());

        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND,
                h.deleteOffsets(deleteOffsetsRequest("nobody", OTHER, 0)).response().getErrorCode());
        assertTrue(h.lastRecords().isEmpty());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testCoordinatedGroupsShowCommittedOffsetsAndMembersAndLoseDeletedOnes() {
        h.commit(commitRequest("", -1, OTHER, 0, 3, ""));
        h.commit(commitRequest("", -1, TOPIC, 1, 9, ""));
        h.heartbeat(join("a", TOPIC));
        assertEquals(List.of(new CoordinatedGroup(GROUP, 1, java.util.Map.of(new TopicPartition(OTHER, 0), 3L,
                new TopicPartition(TOPIC, 1), 9L))), h.leader.coordinatedGroups());
        assertEquals(h.leader.coordinatedGroups(), h.follower.coordinatedGroups(), "a replaying follower agrees");

        h.deleteOffsets(deleteOffsetsRequest(GROUP, OTHER, 0));
        assertEquals(java.util.Map.of(new TopicPartition(TOPIC, 1), 9L),
                h.leader.coordinatedGroups().get(0).committedOffsets(), "a deleted commit goes");
        h.heartbeat(leave("a", -1));
        assertEquals(0, h.leader.coordinatedGroups().get(0).members());
        assertEquals(ErrorCode.ERROR_CODE_NONE, h.deleteGroup(GROUP).response().getErrorCode());
        assertTrue(h.leader.coordinatedGroups().isEmpty(), "a deleted group goes");
    }

    @Test
    void testCoordinatedGroupsCopyOnlyTheGroupsThatChanged() {
        String quiet = "quiet-group";
        h.commit(commitRequest("", -1, OTHER, 0, 3, ""));
        h.commit(commitRequest("", -1, OTHER, 0, 5, "").toBuilder().setGroupId(quiet).build());
        List<CoordinatedGroup> first = h.leader.coordinatedGroups();
        assertEquals(List.of(GROUP, quiet), first.stream().map(CoordinatedGroup::groupId).toList());

        h.commit(commitRequest("", -1, OTHER, 0, 4, ""));
        List<CoordinatedGroup> second = h.leader.coordinatedGroups();
        assertSame(first.get(1), second.get(1), "the unchanged group's snapshot is reused, not copied");
        assertEquals(java.util.Map.of(new TopicPartition(OTHER, 0), 4L), second.get(0).committedOffsets());
        assertEquals(java.util.Map.of(new TopicPartition(OTHER, 0), 3L), first.get(0).committedOffsets(),
                "a published snapshot never changes");
        assertEquals(second, h.follower.coordinatedGroups(), "a replaying follower agrees");

        assertSame(second.get(0), h.leader.coordinatedGroups().get(0), "nothing changed: nothing copied");
    }

    @Test
    void testDeletingOffsetsOfAnUnknownPartitionOrOfNothingIsRefused() {
        h.commit(commitRequest("", -1, OTHER, 0, 3, ""));
        CoordinatorResult<OffsetDeleteResponse> unknown = h.deleteOffsets(deleteOffsetsRequest(GROUP, "nope", 0));
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                unknown.response().getPartitions(0).getErrorCode());
        assertTrue(unknown.response().getPartitions(0).getErrorMessage().contains("nope-0"),
                unknown.response().toString());
        CoordinatorResult<OffsetDeleteResponse> empty = h.deleteOffsets(
                OffsetDeleteRequest.newBuilder().setGroupId(GROUP).build());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, empty.response().getErrorCode());
        assertTrue(empty.records().isEmpty());
        assertEquals(3, fetched(new TopicPartition(OTHER, 0)).getCommittedOffset());
    }

    @Test
    void testOnlyAnEmptyGroupCanBeDeleted() {
        h.commit(commitRequest("", -1, TOPIC, 0, 4, ""));
        h.heartbeat(join("a", TOPIC));
        GroupDescription before = h.describe();

        CoordinatorResult<GroupResult> refused = h.deleteGroup(GROUP);
        assertEquals(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, refused.response().getErrorCode());
        assertTrue(refused.records().isEmpty());
        assertEquals(before, h.describe());

        h.heartbeat(leave("a", -1));
        CoordinatorResult<GroupResult> deleted = h.deleteGroup(GROUP);
        assertEquals(ErrorCode.ERROR_CODE_NONE, deleted.response().getErrorCode());
        assertFalse(deleted.records().isEmpty());
        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, h.describe().getErrorCode());
        assertEquals(0, h.fetchAll(h.leader, GROUP).getOffsetsCount());
        assertEquals(0, h.leader.groupCount());
        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, h.deleteGroup(GROUP).response().getErrorCode());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAnEmptyGroupsExpiredOffsetsAreDeletedAtTheNextRetentionCheck() {
        h.leader.onLoaded(0);
        h.now = 1_000;
        h.commit(commitRequest("", -1, TOPIC, 0, 4, ""));
        h.heartbeat(join("a", TOPIC));
        h.heartbeat(leave("a", -1));
        long expiresAt = 1_000 + RETENTION_MS;

        assertTrue(h.expire(expiresAt - 1).isEmpty(), "a check one millisecond early deletes nothing");
        assertTrue(h.expire(expiresAt).isEmpty(), "expired, but the next check is an interval later");
        assertEquals(4, fetched(new TopicPartition(TOPIC, 0)).getCommittedOffset());
        List<CoordinatorRecord> deleted = h.expire(expiresAt - 1 + RETENTION_CHECK_INTERVAL_MS);
        assertFalse(deleted.isEmpty());
        assertTrue(deleted.stream().allMatch(CoordinatorRecord::isTombstone));
        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, h.describe().getErrorCode());
        assertEquals(List.of(), h.leader.listGroups(Set.of(), 1));
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAGroupWithMembersKeepsItsOffsets() {
        h.heartbeat(join("a", TOPIC));
        TopicPartition owned = first("a");
        h.commit(commitRequest("a", h.epoch("a"), owned, 8));
        long later = 2 * RETENTION_MS;
        h.now = later;
        h.poll("a"); // keeps its session alive

        assertTrue(h.expire(later).isEmpty());
        assertEquals(8, fetched(owned).getCommittedOffset());
        assertEquals("Stable", h.describe().getState());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testOffsetsOfAGroupThatEmptiedLaterExpireRetentionAfterItEmptied() {
        h.leader.onLoaded(0);
        h.now = 1_000;
        h.heartbeat(join("a", TOPIC));
        TopicPartition owned = first("a");
        h.commit(commitRequest("a", h.epoch("a"), owned, 8));
        long emptiedAt = 1_000 + RETENTION_MS - 5;
        h.now = emptiedAt;
        h.poll("a");
        h.heartbeat(leave("a", -1));

        List<CoordinatorRecord> early = h.expire(1_000 + RETENTION_MS + RETENTION_CHECK_INTERVAL_MS);
        assertTrue(early.isEmpty(), "the commit is older than the retention, but the group emptied only just now: "
                + early);
        assertEquals(8, fetched(owned).getCommittedOffset());
        assertFalse(h.expire(emptiedAt + RETENTION_MS + 2 * RETENTION_CHECK_INTERVAL_MS).isEmpty());
        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, h.describe().getErrorCode());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAnActiveGroupsOffsetsOfTopicsNoMemberSubscribesToExpire() {
        h.leader.onLoaded(0);
        h.now = 1_000;
        h.commit(commitRequest("", -1, OTHER, 0, 3, ""));
        h.heartbeat(join("a", TOPIC));
        TopicPartition owned = first("a");
        h.commit(commitRequest("a", h.epoch("a"), owned, 8));
        h.now = 1_000 + RETENTION_MS + RETENTION_CHECK_INTERVAL_MS;
        h.poll("a");

        List<CoordinatorRecord> expired = h.expire(h.now);
        assertEquals(1, expired.size(), expired.toString());
        assertEquals(-1, fetched(new TopicPartition(OTHER, 0)).getCommittedOffset());
        assertEquals(8, fetched(owned).getCommittedOffset(), "a subscribed topic's offsets stay");
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testNegativePartitionNumbersAreInvalidRequestsThatWriteNothingForThemselves() {
        h.heartbeat(join("a", TOPIC));
        OffsetCommitRequest.Builder request = commitRequest("a", h.epoch("a"), first("a"), 5).toBuilder();
        request.setTopics(0, request.getTopics(0).toBuilder()
                .addPartitions(OffsetCommitPartition.newBuilder().setPartition(-1).setCommittedOffset(2)));
        CoordinatorResult<OffsetCommitResponse> result = h.commit(request.build());
        assertEquals(List.of(ErrorCode.ERROR_CODE_NONE, ErrorCode.ERROR_CODE_INVALID_REQUEST),
                result.response().getPartitionsList().stream().map(OffsetCommitPartitionResult::getErrorCode).toList());
        assertEquals(1, result.records().size());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, h.leader.fetchOffsets(
                OffsetFetchRequest.newBuilder().setGroupId(GROUP).addTopics(
                        TopicPartitions.newBuilder().setTopic(TOPIC).addPartitions(-3)).build()).getErrorCode());
        CoordinatorResult<OffsetDeleteResponse> delete = h.deleteOffsets(deleteOffsetsRequest(GROUP, OTHER, 0, -1));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, delete.response().getErrorCode());
        assertTrue(delete.records().isEmpty());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testACommitWithManyPartitionsWritesTheAcceptedOnesTogether() {
        h.heartbeat(join("a", TOPIC));
        OffsetCommitRequest.Builder request = commitRequest("a", h.epoch("a"), TOPIC, 0, 1, "").toBuilder();
        request.setTopics(0, request.getTopics(0).toBuilder()
                .addPartitions(OffsetCommitPartition.newBuilder().setPartition(1).setCommittedOffset(2))
                .addPartitions(OffsetCommitPartition.newBuilder().setPartition(9).setCommittedOffset(3)));
        CoordinatorResult<OffsetCommitResponse> result = h.commit(request.build());
        assertEquals(List.of(ErrorCode.ERROR_CODE_NONE, ErrorCode.ERROR_CODE_NONE,
                        ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION),
                result.response().getPartitionsList().stream().map(OffsetCommitPartitionResult::getErrorCode).toList());
        assertEquals(2, result.records().size());
        assertEquals(tps(TOPIC, 0, 1), h.fetchAll(h.leader, GROUP).getOffsetsList().stream()
                .map(o -> new TopicPartition(o.getTopic(), o.getPartition())).collect(Collectors.toSet()));
        h.assertFollowerInSync(GROUP);
    }
}
