package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deadlines of a shard's members: the session (renewed by every heartbeat) and, while a member
 * has partitions to release, the rebalance timeout. Kept in memory only: a new coordinator starts
 * every member's timers afresh when it loads the partition. Owned by the shard's thread.
 */
final class MemberTimers {

    /** A member of a group. */
    record MemberKey(String groupId, String memberId) {
    }

    private final Map<MemberKey, Long> sessionDeadlines = new HashMap<>();
    private final Map<MemberKey, Long> revocationDeadlines = new HashMap<>();

    void renewSession(String groupId, String memberId, long deadlineMs) {
        sessionDeadlines.put(new MemberKey(groupId, memberId), deadlineMs);
    }

    /** Starts the revocation deadline unless one is running. */
    void startRevocation(String groupId, String memberId, long deadlineMs) {
        revocationDeadlines.putIfAbsent(new MemberKey(groupId, memberId), deadlineMs);
    }

    void stopRevocation(String groupId, String memberId) {
        revocationDeadlines.remove(new MemberKey(groupId, memberId));
    }

    void forget(String groupId, String memberId) {
        MemberKey key = new MemberKey(groupId, memberId);
        sessionDeadlines.remove(key);
        revocationDeadlines.remove(key);
    }

    /** The members whose session or revocation deadline is at or before {@code nowMs}. */
    List<MemberKey> expired(long nowMs) {
        List<MemberKey> expired = new ArrayList<>();
        sessionDeadlines.forEach((key, deadline) -> {
            if (deadline <= nowMs) {
                expired.add(key);
            }
        });
        revocationDeadlines.forEach((key, deadline) -> {
            if (deadline <= nowMs && !expired.contains(key)) {
                expired.add(key);
            }
        });
        return expired;
    }
}
