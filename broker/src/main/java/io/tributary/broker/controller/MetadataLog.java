package io.tributary.broker.controller;

import io.tributary.broker.metadata.MetadataLoader.CommittedRecord;
import io.tributary.proto.metadata.v1.MetadataRecord;
import java.util.List;

/**
 * The log of metadata records, replicated by the Raft quorum. Committed records reach the metadata
 * loader through the log itself (on every node, in offset order), not through the caller.
 *
 * <p>Called only from the controller thread.
 */
public interface MetadataLog extends AutoCloseable {

    /**
     * Appends {@code records} as one atomic entry (all or none of them are ever committed) and
     * returns once they are committed and applied to the metadata image, with their offsets.
     */
    List<CommittedRecord> appendAndCommit(List<MetadataRecord> records);

    @Override
    void close();
}
