package io.tributary.quorum.controller;

import io.tributary.proto.metadata.v1.MetadataRecord;
import java.util.List;

/**
 * What a controller write operation produces without touching any state: the records to commit
 * and the response to give once they are committed. An empty record list commits nothing.
 */
public record ControllerResult<R>(List<MetadataRecord> records, R response) {

    public ControllerResult {
        records = List.copyOf(records);
    }
}
