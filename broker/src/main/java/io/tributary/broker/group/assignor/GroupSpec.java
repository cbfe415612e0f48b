package io.tributary.broker.group.assignor;

import io.tributary.common.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The members of one group, as the coordinator hands them to an assignor.
 *
 * <p>Immutable. {@link #members()} is in <em>assignment order</em> whatever order the caller used, so an
 * assignor's output depends on the members, not on how they were listed: static members first, by
 * instance id, then dynamic members by member id. Static members sort by instance id (as Kafka's
 * assignors do) because a restarted static member comes back with a new member id but the same instance
 * id, and should then land in the same place.
 *
 * @param members the group's members
 */
public record GroupSpec(List<MemberSpec> members) {

    /** Static members by instance id, then dynamic members by member id. */
    public static final Comparator<MemberSpec> ASSIGNMENT_ORDER =
            Comparator.comparing((MemberSpec member) -> member.instanceId().isEmpty())
                    .thenComparing(member -> member.instanceId().orElse(""))
                    .thenComparing(MemberSpec::memberId);

    /**
     * @throws IllegalArgumentException when two members share a member id or an instance id, or one
     *     partition is in the current assignments of two members
     */
    public GroupSpec {
        Objects.requireNonNull(members, "members");
        List<MemberSpec> sorted = new ArrayList<>(members.size());
        for (MemberSpec member : members) {
            sorted.add(Objects.requireNonNull(member, "a member is null"));
        }
        sorted.sort(ASSIGNMENT_ORDER);
        checkUniqueIds(sorted);
        checkDisjointCurrentAssignments(sorted);
        members = List.copyOf(sorted);
    }

    private static void checkUniqueIds(List<MemberSpec> members) {
        Set<String> memberIds = new HashSet<>();
        Set<String> instanceIds = new HashSet<>();
        for (MemberSpec member : members) {
            if (!memberIds.add(member.memberId())) {
                throw new IllegalArgumentException("duplicate member id '" + member.memberId() + "'");
            }
            if (member.instanceId().isPresent() && !instanceIds.add(member.instanceId().get())) {
                throw new IllegalArgumentException("duplicate instance id '" + member.instanceId().get()
                        + "' (member '" + member.memberId() + "')");
            }
        }
    }

    /**
     * Current assignments come from one target assignment, in which a partition has one owner; an overlap
     * means the caller's state is corrupt, and guessing which owner is right would hide that.
     */
    private static void checkDisjointCurrentAssignments(List<MemberSpec> members) {
        Map<TopicPartition, String> owners = new HashMap<>();
        for (MemberSpec member : members) {
            for (Map.Entry<String, Set<Integer>> entry : member.currentAssignment().partitionsByTopic().entrySet()) {
                for (int partition : entry.getValue()) {
                    TopicPartition topicPartition = new TopicPartition(entry.getKey(), partition);
                    String previous = owners.putIfAbsent(topicPartition, member.memberId());
                    if (previous != null) {
                        throw new IllegalArgumentException("partition " + topicPartition + " is in the current assignment of both '"
                                + previous + "' and '" + member.memberId() + "'");
                    }
                }
            }
        }
    }
}
