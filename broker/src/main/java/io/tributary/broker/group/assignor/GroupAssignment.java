package io.tributary.broker.group.assignor;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An assignor's answer: the target assignment of every member of the group, keyed by member id.
 *
 * <p>Immutable; iterates in member id order.
 *
 * @param members member id to the partitions that member is to own
 */
public record GroupAssignment(Map<String, MemberAssignment> members) {

    /**
     * @throws IllegalArgumentException when a member id or assignment is null
     */
    public GroupAssignment {
        Objects.requireNonNull(members, "members");
        TreeMap<String, MemberAssignment> sorted = new TreeMap<>();
        for (Map.Entry<String, MemberAssignment> entry : members.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw new IllegalArgumentException("a group assignment has a null member id or assignment: " + entry);
            }
            sorted.put(entry.getKey(), entry.getValue());
        }
        members = Collections.unmodifiableSortedMap(sorted);
    }
}
