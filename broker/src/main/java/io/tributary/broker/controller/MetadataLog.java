package io.tributary.broker.controller;

import io.tributary.broker.metadata.MetadataLoader.CommittedRecord;
import io.tributary.proto.metadata.v1.MetadataRecord;
import java.util.List;

/**
 * The log of metadata records. On a single combined node it is a local, fsynced log; the Raft quorum
 * replaces this implementation without changing the image code above it.
 *
 * <p>Called only from the controller thread.
 */
public interface MetadataLog extends AutoCloseable {

    /**
     * Appends {@code records} as one atomic batch (after a crash, all or none of them are present)
     * and returns once they are committed (durable), with the offsets they were committed at.
     */
    List<CommittedRecord> appendAndCommit(List<MetadataRecord> records);

    /** Every committed record from the start of the log, in offset order (start-up replay). */
    List<CommittedRecord> readCommitted();

    @Override
    void close();
}
