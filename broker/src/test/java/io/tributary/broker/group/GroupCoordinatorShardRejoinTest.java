package io.tributary.broker.group;

import static io.tributary.broker.group.ShardHarness.GROUP;
import static io.tributary.broker.group.ShardHarness.allPartitions;
import static io.tributary.broker.group.ShardHarness.heartbeatRequest;
import static io.tributary.broker.group.ShardHarness.join;
import static io.tributary.broker.group.ShardHarness.joinRequest;
import static io.tributary.broker.group.ShardHarness.joinStatic;
import static io.tributary.broker.group.ShardHarness.leave;
import static io.tributary.broker.group.ShardHarness.partitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.Subscription;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Members joining again with epoch 0 under an id or instance id the group already knows: a static
 * member coming back under its own member id after a temporary leave, a member rejoining after being
 * fenced, and a static member coming back with another subscription.
 */
@Tag("unit")
class GroupCoordinatorShardRejoinTest {

    private static final String TOPIC = "t";

    private ShardHarness h;

    @BeforeEach
    void setUp() {
        h = new ShardHarness();
        h.topics.put(TOPIC, 6);
    }

    /**
     * A static member that left with -2 rejoins under the same member id (a consumer that keeps its
     * member id, as KIP-848 clients do): it must get its partitions back and then heartbeat normally.
     */
    @Test
    void testAStaticMemberRejoiningUnderItsOwnIdAfterATemporaryLeaveCanHeartbeatAgain() {
        h.heartbeat(joinStatic("a", "instance-a", TOPIC));
        h.heartbeat(join("b", TOPIC));
        h.settle("a", "b");
        Set<?> aPartitions = h.answered("a");
        h.heartbeat(leave("a", -2).toBuilder().setInstanceId("instance-a").build());

        ConsumerGroupHeartbeatResponse rejoined = h.heartbeat(joinStatic("a", "instance-a", TOPIC));
        assertEquals(ErrorCode.ERROR_CODE_NONE, rejoined.getErrorCode());
        assertEquals(aPartitions, partitions(rejoined.getAssignmentList()));

        ConsumerGroupHeartbeatResponse next = h.heartbeat(heartbeatRequest("a", rejoined.getMemberEpoch())
                .toBuilder().setInstanceId("instance-a").build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, next.getErrorCode(), "the rejoined member is fenced: " + next);
        assertEquals(aPartitions, partitions(next.getAssignmentList()));
        h.assertFollowerInSync(GROUP);
    }

    /**
     * A member rejoining with epoch 0 reports owning nothing. When its new assignment is empty, its
     * owned partitions never change again, so (as the protocol asks) it never reports them again: the
     * coordinator must not keep waiting for it to release partitions it said it does not own.
     */
    @Test
    void testAMemberRejoiningWithNothingOwnedIsNotLeftToReleaseItsOldPartitions() {
        h.heartbeat(joinRequest("a", TOPIC).setRebalanceTimeoutMs(10_000).build());
        h.heartbeat(join("b", TOPIC));
        h.settle("a", "b");
        Set<?> aPartitions = h.answered("a");

        // a is fenced (say its answers were lost) and rejoins, now subscribing to a topic that does not exist.
        ConsumerGroupHeartbeatResponse rejoined = h.heartbeat(joinRequest("a", "not-yet").setRebalanceTimeoutMs(10_000)
                .build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, rejoined.getErrorCode());
        assertTrue(rejoined.getAssignmentList().isEmpty(), rejoined.toString());

        h.now = 1_000;
        ConsumerGroupHeartbeatResponse b = h.poll("b");
        assertEquals(allPartitions(TOPIC, 6), partitions(b.getAssignmentList()),
                "b waits for a to release " + aPartitions + ", which a said it does not own");
        h.now = 9_000;
        h.heartbeat(heartbeatRequest("a", rejoined.getMemberEpoch())); // owned unchanged: not reported
        h.poll("b");
        h.expire(10_000);
        assertEquals(Set.of("a", "b"), h.memberIds(), "a heartbeats and owns nothing, yet is removed");
        h.assertFollowerInSync(GROUP);
    }

    /**
     * A static member returning with a different subscription takes over its old assignment, but the
     * subscription change must still start a new group epoch so the assignment follows it.
     */
    @Test
    void testAStaticMemberReturningWithAnotherSubscriptionIsReassigned() {
        h.topics.put("u", 2);
        h.heartbeat(joinStatic("a", "instance-a", TOPIC));
        h.heartbeat(join("b", TOPIC, "u"));
        h.settle("a", "b");
        int groupEpoch = h.describe().getGroupEpoch();
        h.heartbeat(leave("a", -2).toBuilder().setInstanceId("instance-a").build());

        ConsumerGroupHeartbeatResponse a2 = h.heartbeat(joinStatic("a2", "instance-a", "u"));
        assertEquals(ErrorCode.ERROR_CODE_NONE, a2.getErrorCode());
        assertTrue(h.describe().getGroupEpoch() > groupEpoch, "a subscription change is a new group epoch");
        h.settle("a2", "b");
        assertTrue(h.answered("a2").stream().allMatch(tp -> tp.topic().equals("u")),
                "a2 subscribes to u only but owns " + h.answered("a2"));
        assertEquals(Subscription.newBuilder().addTopicNames("u").build(), h.member("a2").getSubscription());
        h.assertFollowerInSync(GROUP);
    }
}
