package io.tributary.broker.group;

import java.util.List;

/**
 * What a shard operation produced: the records to write (already applied to the shard's state) and
 * the answer to give once they are committed.
 */
public record CoordinatorResult<T>(List<CoordinatorRecord> records, T response) {

    public CoordinatorResult {
        records = List.copyOf(records);
    }
}
