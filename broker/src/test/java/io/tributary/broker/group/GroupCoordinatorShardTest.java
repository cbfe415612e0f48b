package io.tributary.broker.group;

import static io.tributary.broker.group.ShardHarness.GROUP;
import static io.tributary.broker.group.ShardHarness.allPartitions;
import static io.tributary.broker.group.ShardHarness.heartbeatRequest;
import static io.tributary.broker.group.ShardHarness.join;
import static io.tributary.broker.group.ShardHarness.joinRequest;
import static io.tributary.broker.group.ShardHarness.joinStatic;
import static io.tributary.broker.group.ShardHarness.leave;
import static io.tributary.broker.group.ShardHarness.minus;
import static io.tributary.broker.group.ShardHarness.partitions;
import static io.tributary.broker.group.ShardHarness.tps;
import static io.tributary.broker.group.ShardHarness.union;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.Subscription;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The membership half of {@link GroupCoordinatorShard}, driven in memory (time is a number, topics a
 * map): incremental rebalancing, leaving, session and rebalance timeouts, static membership, epoch
 * fencing and partition-count changes. Every test also checks, through {@link ShardHarness}, that no
 * partition is ever with two members and that a follower replaying the records ends in the same state.
 */
@Tag("unit")
class GroupCoordinatorShardTest {

    private static final String TOPIC = "t";

    private ShardHarness h;

    @BeforeEach
    void setUp() {
        h = new ShardHarness();
        h.topics.put(TOPIC, 6);
    }

    /** a and b, 3 partitions each, both at the group epoch, group Stable. */
    private void twoMembersWithThreeEach() {
        h.heartbeat(join("a", TOPIC));
        h.heartbeat(join("b", TOPIC));
        h.settle("a", "b");
        assertEquals(3, h.answered("a").size());
        assertEquals(3, h.answered("b").size());
        assertEquals(allPartitions(TOPIC, 6), union(h.answered("a"), h.answered("b")));
    }

    @Test
    void testAJoiningMemberGetsPartitionsOnlyAfterTheirOwnersReleaseThem() {
        twoMembersWithThreeEach();
        Set<TopicPartition> aBefore = h.answered("a");
        Set<TopicPartition> bBefore = h.answered("b");
        int epochBefore = h.epoch("a");

        ConsumerGroupHeartbeatResponse c = h.heartbeat(join("c", TOPIC));
        assertEquals(ErrorCode.ERROR_CODE_NONE, c.getErrorCode());
        assertTrue(c.getAssignmentList().isEmpty(), "c gets nothing still owned: " + c);
        assertEquals(epochBefore + 1, h.describe().getGroupEpoch());

        ConsumerGroupHeartbeatResponse a = h.heartbeat(heartbeatRequest("a", epochBefore));
        assertEquals(epochBefore, a.getMemberEpoch(), "a keeps its epoch while it must release");
        assertEquals(2, partitions(a.getAssignmentList()).size());
        assertTrue(aBefore.containsAll(h.answered("a")), "a only shrinks");
        ConsumerGroupHeartbeatResponse b = h.heartbeat(heartbeatRequest("b", epochBefore));
        assertEquals(epochBefore, b.getMemberEpoch());
        assertEquals(2, partitions(b.getAssignmentList()).size());
        Set<TopicPartition> revokedFromA = minus(aBefore, h.answered("a"));
        Set<TopicPartition> revokedFromB = minus(bBefore, h.answered("b"));

        // Neither has released yet: c still gets nothing, and a's repeated heartbeat changes nothing.
        assertTrue(h.heartbeat(heartbeatRequest("c", h.epoch("c"))).getAssignmentList().isEmpty());
        assertEquals(epochBefore, h.heartbeat(heartbeatRequest("a", epochBefore)).getMemberEpoch());
        assertTrue(h.heartbeat(heartbeatRequest("c", h.epoch("c"))).getAssignmentList().isEmpty());

        ConsumerGroupHeartbeatResponse aReleased = h.heartbeat(heartbeatRequest("a", epochBefore, h.answered("a")));
        assertEquals(epochBefore + 1, aReleased.getMemberEpoch(), "a moves to the new epoch once it released");
        assertEquals(revokedFromA, partitions(h.heartbeat(heartbeatRequest("c", h.epoch("c"))).getAssignmentList()),
                "c gets exactly what a released, not what b still owns");

        h.heartbeat(heartbeatRequest("b", epochBefore, h.answered("b")));
        ConsumerGroupHeartbeatResponse cFinal = h.heartbeat(heartbeatRequest("c", h.epoch("c")));
        assertEquals(union(revokedFromA, revokedFromB), partitions(cFinal.getAssignmentList()));

        GroupDescription group = h.describe();
        assertEquals("Stable", group.getState());
        group.getMembersList().forEach(m -> {
            assertEquals(2, partitions(m.getAssignmentList()).size(), m.getMemberId());
            assertEquals(epochBefore + 1, m.getMemberEpoch(), m.getMemberId());
        });
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testALeavingMembersPartitionsGoToTheOthersWhoKeepTheirs() {
        twoMembersWithThreeEach();
        h.heartbeat(join("c", TOPIC));
        h.settle("a", "b", "c");
        Set<TopicPartition> aBefore = h.answered("a");
        Set<TopicPartition> bBefore = h.answered("b");
        Set<TopicPartition> cBefore = h.answered("c");
        int groupEpoch = h.describe().getGroupEpoch();

        ConsumerGroupHeartbeatResponse left = h.heartbeat(leave("b", -1));
        assertEquals(ErrorCode.ERROR_CODE_NONE, left.getErrorCode());
        assertEquals(-1, left.getMemberEpoch());
        assertFalse(h.lastRecords().isEmpty());
        assertEquals(Set.of("a", "c"), h.memberIds());
        assertEquals(groupEpoch + 1, h.describe().getGroupEpoch());

        h.settle("a", "c");
        assertTrue(h.answered("a").containsAll(aBefore), "a kept its partitions");
        assertTrue(h.answered("c").containsAll(cBefore), "c kept its partitions");
        assertEquals(3, h.answered("a").size());
        assertEquals(3, h.answered("c").size());
        Set<TopicPartition> moved = union(minus(h.answered("a"), aBefore), minus(h.answered("c"), cBefore));
        assertEquals(bBefore, moved, "only b's partitions moved");
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAMemberSilentForItsSessionTimeoutIsRemovedAndItsPartitionsReassigned() {
        twoMembersWithThreeEach();
        int aEpoch = h.epoch("a");
        h.now = 20_000;
        h.poll("b");

        assertTrue(h.expire(44_999).isEmpty(), "a's session has 1 ms left");
        assertEquals(Set.of("a", "b"), h.memberIds());
        assertFalse(h.expire(45_000).isEmpty());
        assertEquals(Set.of("b"), h.memberIds());

        ConsumerGroupHeartbeatResponse b = h.poll("b");
        assertEquals(allPartitions(TOPIC, 6), partitions(b.getAssignmentList()));
        assertEquals(h.describe().getGroupEpoch(), b.getMemberEpoch());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID,
                h.heartbeat(heartbeatRequest("a", aEpoch)).getErrorCode(), "a is gone");
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAMemberThatDoesNotReleaseWithinItsRebalanceTimeoutIsRemoved() {
        h.heartbeat(joinRequest("a", TOPIC).setRebalanceTimeoutMs(10_000).build());
        h.poll("a");
        h.heartbeat(join("b", TOPIC));
        h.now = 1_000;
        int aEpoch = h.epoch("a");
        assertEquals(3, partitions(h.heartbeat(heartbeatRequest("a", aEpoch)).getAssignmentList()).size(),
                "a is told to release 3");
        h.now = 6_000;
        h.heartbeat(heartbeatRequest("a", aEpoch)); // alive, but still not releasing
        h.poll("b");

        assertTrue(h.expire(10_999).isEmpty());
        assertFalse(h.expire(11_000).isEmpty(), "the rebalance timeout counts from the first revocation answer");
        assertEquals(Set.of("b"), h.memberIds());
        assertEquals(allPartitions(TOPIC, 6), partitions(h.poll("b").getAssignmentList()));
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAMemberThatReleasesInTimeIsKept() {
        h.heartbeat(joinRequest("a", TOPIC).setRebalanceTimeoutMs(10_000).build());
        h.poll("a");
        h.heartbeat(join("b", TOPIC));
        h.now = 1_000;
        h.poll("a");
        h.now = 9_000;
        h.poll("a"); // releases
        h.poll("b");

        assertTrue(h.expire(11_000).isEmpty());
        assertEquals(Set.of("a", "b"), h.memberIds());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAStaticMemberRejoiningUnderANewIdTakesOverItsAssignmentWithoutARebalance() {
        h.heartbeat(joinStatic("a", "instance-a", TOPIC));
        h.heartbeat(join("b", TOPIC));
        h.settle("a", "b");
        Set<TopicPartition> aPartitions = h.answered("a");
        Set<TopicPartition> bPartitions = h.answered("b");
        int aEpoch = h.epoch("a");
        int groupEpoch = h.describe().getGroupEpoch();

        ConsumerGroupHeartbeatResponse left = h.heartbeat(leave("a", -2).toBuilder().setInstanceId("instance-a").build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, left.getErrorCode());
        assertEquals(-2, left.getMemberEpoch());
        assertEquals(groupEpoch, h.describe().getGroupEpoch(), "a temporary leave is no membership change");
        assertEquals(bPartitions, partitions(h.poll("b").getAssignmentList()), "b does not get a's partitions");

        h.now = 10_000;
        ConsumerGroupHeartbeatResponse a2 = h.heartbeat(joinStatic("a2", "instance-a", TOPIC));
        assertEquals(ErrorCode.ERROR_CODE_NONE, a2.getErrorCode());
        assertEquals(aPartitions, partitions(a2.getAssignmentList()));
        assertEquals(aEpoch, a2.getMemberEpoch());
        assertEquals(groupEpoch, h.describe().getGroupEpoch());
        assertEquals(Set.of("a2", "b"), h.memberIds());
        assertEquals("instance-a", h.member("a2").getInstanceId());

        ConsumerGroupHeartbeatResponse zombie = h.heartbeat(heartbeatRequest("a", aEpoch).toBuilder()
                .setInstanceId("instance-a").build());
        assertEquals(ErrorCode.ERROR_CODE_FENCED_INSTANCE_ID, zombie.getErrorCode());
        assertTrue(h.lastRecords().isEmpty());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID,
                h.heartbeat(heartbeatRequest("a", aEpoch)).getErrorCode(), "without its instance id it is unknown");
        assertEquals(aPartitions, partitions(h.poll("a2").getAssignmentList()));
        assertEquals("Stable", h.describe().getState());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAStaticMemberWhoseSessionExpiresAfterLeavingIsRemoved() {
        h.heartbeat(joinStatic("a", "instance-a", TOPIC));
        h.heartbeat(join("b", TOPIC));
        h.settle("a", "b");
        int groupEpoch = h.describe().getGroupEpoch();
        h.now = 1_000;
        h.heartbeat(leave("a", -2).toBuilder().setInstanceId("instance-a").build());
        h.now = 30_000;
        h.poll("b");

        assertTrue(h.expire(45_999).isEmpty());
        assertEquals(Set.of("a", "b"), h.memberIds());
        assertFalse(h.expire(46_000).isEmpty());
        assertEquals(Set.of("b"), h.memberIds());
        assertEquals(groupEpoch + 1, h.describe().getGroupEpoch());
        assertEquals(allPartitions(TOPIC, 6), partitions(h.poll("b").getAssignmentList()));

        ConsumerGroupHeartbeatResponse a2 = h.heartbeat(joinStatic("a2", "instance-a", TOPIC));
        assertTrue(a2.getAssignmentList().isEmpty(), "a new instance after expiry is a new member: " + a2);
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAHeartbeatWithAWrongEpochIsFencedAndTheLostAnswerEpochIsAccepted() {
        h.heartbeat(join("a", TOPIC));
        assertEquals(1, h.epoch("a"));
        GroupDescription before = h.describe();

        ConsumerGroupHeartbeatResponse fenced = h.heartbeat(heartbeatRequest("a", 7));
        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, fenced.getErrorCode());
        assertTrue(h.lastRecords().isEmpty());
        assertEquals(before, h.describe());

        // The answer moving a to epoch 2 is lost: a retries at epoch 1 with what it owns.
        ConsumerGroupHeartbeatResponse bumped = h.heartbeat(heartbeatRequest("a", 1).toBuilder()
                .setRebalanceRequested(true).build());
        assertEquals(2, bumped.getMemberEpoch());
        ConsumerGroupHeartbeatResponse retried = h.heartbeat(heartbeatRequest("a", 1, tps(TOPIC, 0, 1, 2)));
        assertEquals(ErrorCode.ERROR_CODE_NONE, retried.getErrorCode());
        assertEquals(2, retried.getMemberEpoch());
        assertEquals(allPartitions(TOPIC, 6), partitions(retried.getAssignmentList()));

        GroupDescription atTwo = h.describe();
        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH,
                h.heartbeat(heartbeatRequest("a", 1)).getErrorCode(), "the previous epoch needs owned partitions");
        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH,
                h.heartbeat(heartbeatRequest("a", 1, union(tps(TOPIC, 0), tps("other", 0)))).getErrorCode(),
                "the previous epoch with a partition it does not own");
        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH,
                h.heartbeat(heartbeatRequest("a", 3)).getErrorCode(), "a future epoch");
        assertTrue(h.lastRecords().isEmpty());
        assertEquals(atTwo, h.describe());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testGrowingASubscribedTopicBumpsTheGroupEpochAndAssignsTheNewPartitions() {
        twoMembersWithThreeEach();
        Set<TopicPartition> aBefore = h.answered("a");
        Set<TopicPartition> bBefore = h.answered("b");
        int groupEpoch = h.describe().getGroupEpoch();

        h.topics.put(TOPIC, 8);
        h.poll("a");
        assertEquals(groupEpoch + 1, h.describe().getGroupEpoch());
        h.settle("a", "b");
        assertEquals(groupEpoch + 1, h.describe().getGroupEpoch(), "one bump for one change");
        assertEquals(allPartitions(TOPIC, 8), union(h.answered("a"), h.answered("b")));
        assertEquals(4, h.answered("a").size());
        assertEquals(4, h.answered("b").size());
        assertTrue(h.answered("a").containsAll(aBefore));
        assertTrue(h.answered("b").containsAll(bBefore));
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testARegexSubscriptionPicksUpANewlyCreatedMatchingTopic() {
        h.topics.clear();
        h.topics.put("orders-eu", 2);
        h.topics.put("payments", 3);
        ConsumerGroupHeartbeatResponse joined = h.heartbeat(joinRequest("a").setSubscription(
                Subscription.newBuilder().setTopicRegex("orders-.*")).build());
        assertEquals(allPartitions("orders-eu", 2), partitions(joined.getAssignmentList()));
        int groupEpoch = h.describe().getGroupEpoch();

        h.topics.put("orders-us", 2);
        ConsumerGroupHeartbeatResponse a = h.poll("a");
        assertEquals(groupEpoch + 1, h.describe().getGroupEpoch());
        assertEquals(union(allPartitions("orders-eu", 2), allPartitions("orders-us", 2)),
                partitions(a.getAssignmentList()));
        assertEquals("orders-.*", h.member("a").getSubscription().getTopicRegex());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testAStaticMemberJoiningUnderANewIdReplacesTheLiveMemberWithItsInstanceId() {
        h.heartbeat(joinStatic("a", "instance-a", TOPIC));
        h.heartbeat(join("b", TOPIC));
        h.settle("a", "b");
        Set<TopicPartition> aPartitions = h.answered("a");
        int aEpoch = h.epoch("a");
        int groupEpoch = h.describe().getGroupEpoch();

        ConsumerGroupHeartbeatResponse restarted = h.heartbeat(joinStatic("a2", "instance-a", TOPIC));
        assertEquals(aPartitions, partitions(restarted.getAssignmentList()));
        assertEquals(aEpoch, restarted.getMemberEpoch());
        assertEquals(groupEpoch, h.describe().getGroupEpoch());
        assertEquals(Set.of("a2", "b"), h.memberIds());

        assertEquals(ErrorCode.ERROR_CODE_FENCED_INSTANCE_ID, h.heartbeat(heartbeatRequest("a", aEpoch).toBuilder()
                .setInstanceId("instance-a").build()).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, h.commit(ShardHarness.commitRequest("a", aEpoch,
                aPartitions.iterator().next(), 1)).response().getErrorCode());
        assertTrue(h.lastRecords().isEmpty());
        h.assertFollowerInSync(GROUP);
    }

    @Test
    void testANewCoordinatorStartsEveryMembersTimersWhenItLoads() {
        h.heartbeat(joinRequest("a", TOPIC).setRebalanceTimeoutMs(10_000).build());
        h.poll("a");
        h.heartbeat(join("b", TOPIC));
        h.heartbeat(heartbeatRequest("a", h.epoch("a"))); // a must release 3 partitions

        GroupCoordinatorShard next = h.follower;
        next.onLoaded(100_000);
        assertTrue(next.expire(109_999, h.topics).isEmpty(), "the sessions and a's revocation restart at loading");
        List<CoordinatorRecord> removed = next.expire(110_000, h.topics);
        assertFalse(removed.isEmpty());
        assertEquals(Set.of("b"), next.describeGroup(GROUP, ShardHarness.COORDINATOR_ID).getMembersList().stream()
                .map(m -> m.getMemberId()).collect(Collectors.toSet()), "a did not release within 10 s of loading");
        assertFalse(next.expire(145_000, h.topics).isEmpty(), "b's session restarted at loading too");
        assertEquals(0, next.describeGroup(GROUP, ShardHarness.COORDINATOR_ID).getMembersCount());
    }
}
