package io.tributary.client.admin;

/** Which leader {@link Admin#electLeaders} picks, as Kafka's {@code ElectionType}. */
public enum ElectionType {
    /** The preferred (first) replica, if it is in sync and alive. */
    PREFERRED,
    /** For a leaderless partition: a live replica even if it is out of sync (can lose acknowledged records). */
    UNCLEAN
}
