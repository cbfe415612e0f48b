package io.tributary.broker.group;

import io.tributary.broker.group.assignor.MemberAssignment;
import io.tributary.common.TopicPartition;

/**
 * Moves one member a step toward its target assignment — Kafka's KIP-848 reconciliation. Pure.
 *
 * <ul>
 *   <li>A member still owning partitions the target takes away first releases them: its assignment
 *       shrinks to what it keeps, the rest is pending revocation, and its epoch stays. It leaves
 *       that state only when it reports owning none of them.</li>
 *   <li>Then it moves to the target's epoch and gets the target's new partitions, but only those
 *       no other member owns (assigned or still releasing); the rest follow as their owners release
 *       them (UNRELEASED_PARTITIONS).</li>
 * </ul>
 * So a partition is never owned by two members, and a member never loses a partition it has not
 * released, except by leaving the group or being fenced.
 */
final class MemberReconciler {

    private MemberReconciler() {
    }

    /**
     * @param reportedOwned what the member says it owns now, or null when it did not say
     * @return the member after this step (the same object when nothing changes)
     */
    static ConsumerGroupMember reconcile(ConsumerGroupMember member, ConsumerGroup group, MemberAssignment target,
                                         MemberAssignment reportedOwned) {
        if (member.state() == MemberState.LEFT_STATIC) {
            return member;
        }
        ConsumerGroupMember current = member;
        if (current.state() == MemberState.UNREVOKED_PARTITIONS) {
            boolean released = reportedOwned != null
                    && Assignments.isEmpty(Assignments.intersect(reportedOwned, current.pendingRevocation()));
            if (!released) {
                return member;
            }
            current = current.withAssignment(current.memberEpoch(), current.previousMemberEpoch(), MemberState.STABLE,
                    current.assigned(), MemberAssignment.EMPTY);
        }
        int targetEpoch = group.assignmentEpoch();
        MemberAssignment revoke = Assignments.minus(current.assigned(), target);
        if (!Assignments.isEmpty(revoke)) {
            return current.withAssignment(current.memberEpoch(), current.previousMemberEpoch(),
                    MemberState.UNREVOKED_PARTITIONS, Assignments.intersect(current.assigned(), target), revoke);
        }
        MemberAssignment wanted = Assignments.minus(target, current.assigned());
        String memberId = member.memberId();
        MemberAssignment free = Assignments.filter(wanted, tp -> isFree(group, tp, memberId));
        MemberAssignment assigned = Assignments.union(current.assigned(), free);
        MemberState state = Assignments.containsAll(free, wanted) ? MemberState.STABLE
                : MemberState.UNRELEASED_PARTITIONS;
        int previousEpoch = current.memberEpoch() == targetEpoch ? current.previousMemberEpoch()
                : current.memberEpoch();
        ConsumerGroupMember next = current.withAssignment(targetEpoch, previousEpoch, state, assigned,
                MemberAssignment.EMPTY);
        return next.equals(member) ? member : next;
    }

    private static boolean isFree(ConsumerGroup group, TopicPartition tp, String memberId) {
        return group.owner(tp).map(memberId::equals).orElse(true);
    }
}
