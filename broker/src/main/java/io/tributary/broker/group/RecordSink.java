package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the records one request generates and replays each into the state at once, so the
 * rest of the request sees its own changes. The runtime writes the collected records to the log
 * and answers only once they are committed; if they cannot be written, it rebuilds the state from
 * the log, so no unwritten change survives.
 */
final class RecordSink {

    private final GroupState state;
    private final List<CoordinatorRecord> records = new ArrayList<>();

    RecordSink(GroupState state) {
        this.state = state;
    }

    void append(CoordinatorRecord record) {
        records.add(record);
        state.replay(record);
    }

    List<CoordinatorRecord> records() {
        return List.copyOf(records);
    }
}
