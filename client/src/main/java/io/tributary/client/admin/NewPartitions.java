package io.tributary.client.admin;

/**
 * A new, larger partition count for an existing topic, for {@link Admin#createPartitions}. Partition
 * counts only grow: existing keyed records would otherwise map to other partitions. Immutable.
 */
public final class NewPartitions {

    private final int totalCount;

    private NewPartitions(int totalCount) {
        this.totalCount = totalCount;
    }

    /**
     * Raises the topic to {@code totalCount} partitions. The broker rejects a count that is not larger
     * than the current one with {@link io.tributary.common.errors.InvalidPartitionsException}.
     */
    public static NewPartitions increaseTo(int totalCount) {
        return new NewPartitions(totalCount);
    }

    /** The partition count the topic should have. */
    public int totalCount() {
        return totalCount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewPartitions other && other.totalCount == totalCount;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(totalCount);
    }

    @Override
    public String toString() {
        return "NewPartitions(totalCount=" + totalCount + ")";
    }
}
