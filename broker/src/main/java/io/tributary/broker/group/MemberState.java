package io.tributary.broker.group;

/** Where a member is in moving to its target assignment. */
enum MemberState {
    /** It owns its whole target assignment at the target's epoch. */
    STABLE,
    /** It must release {@code pendingRevocation} (commit, then heartbeat without them) before anything else. */
    UNREVOKED_PARTITIONS,
    /** It is at the target's epoch but waits for partitions other members still own. */
    UNRELEASED_PARTITIONS,
    /**
     * A static member that left with epoch -2: its partitions stay with it (assigned to nobody else)
     * until a member with its instance id takes over or its session times out.
     */
    LEFT_STATIC
}
