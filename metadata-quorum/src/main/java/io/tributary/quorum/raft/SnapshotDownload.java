package io.tributary.quorum.raft;

import io.tributary.quorum.raft.RaftMessage.FetchSnapshotResponse;

/**
 * A snapshot a follower is fetching from its leader, chunk by chunk, into memory (a snapshot must
 * fit in one array: under 2 GiB). Belongs to one {@link RaftRole.Follower}, so a new leader or epoch
 * starts a new download: two nodes' snapshots with the same id hold the same state but not
 * necessarily the same bytes, so chunks from different leaders must never be mixed.
 */
final class SnapshotDownload {

    /** The largest array the JVM reliably allocates. */
    static final long MAX_SIZE_BYTES = Integer.MAX_VALUE - 8;

    final OffsetAndEpoch id;
    private byte[] data;
    private long position;

    SnapshotDownload(OffsetAndEpoch id) {
        this.id = id;
    }

    /** Where the next chunk starts. */
    long position() {
        return position;
    }

    /**
     * Takes the next chunk, if it is the one asked for and consistent with the earlier ones (same
     * total size, not past the end, not empty before the end).
     *
     * @return false when the response does not fit: the download must start over
     * @throws IllegalStateException when the snapshot is too large to hold in memory
     */
    boolean accept(FetchSnapshotResponse response) {
        if (!id.equals(response.snapshotId()) || response.position() != position) {
            return false;
        }
        if (data == null) {
            if (response.sizeBytes() < 0) {
                return false;
            }
            if (response.sizeBytes() > MAX_SIZE_BYTES) {
                throw new IllegalStateException("snapshot " + id + " has " + response.sizeBytes()
                        + " bytes, more than the " + MAX_SIZE_BYTES + " a node can load");
            }
            data = new byte[(int) response.sizeBytes()];
        }
        byte[] chunk = response.chunk();
        long remaining = data.length - position;
        if (response.sizeBytes() != data.length || chunk.length > remaining || (chunk.length == 0 && remaining > 0)) {
            return false;
        }
        System.arraycopy(chunk, 0, data, (int) position, chunk.length);
        position += chunk.length;
        return true;
    }

    /** Whether every byte arrived (an empty snapshot is complete after its first answer). */
    boolean isComplete() {
        return data != null && position == data.length;
    }

    /** The whole snapshot; only once complete. */
    byte[] data() {
        if (!isComplete()) {
            throw new IllegalStateException("snapshot " + id + " is incomplete: " + position + " bytes");
        }
        return data;
    }
}
