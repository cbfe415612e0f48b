package io.tributary.quorum.raft.sim;

import io.tributary.quorum.raft.LogEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated state machine's snapshot format. Its state is the simplest fold of the committed log:
 * the list of every entry applied (offset, epoch, kind, data), so a snapshot can be compared entry by
 * entry with what the cluster committed.
 */
final class SimStateMachine {

    private static final int ENTRY_HEADER_BYTES = 8 + 4 + 1 + 4;

    private SimStateMachine() {
    }

    static byte[] encode(List<LogEntry> applied) {
        int size = 4;
        for (LogEntry entry : applied) {
            size += ENTRY_HEADER_BYTES + entry.data().length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(applied.size());
        for (LogEntry entry : applied) {
            buffer.putLong(entry.offset()).putInt(entry.epoch()).put((byte) (entry.control() ? 1 : 0))
                    .putInt(entry.data().length).put(entry.data());
        }
        return buffer.array();
    }

    static List<LogEntry> decode(byte[] snapshot) {
        ByteBuffer buffer = ByteBuffer.wrap(snapshot);
        int count = buffer.getInt();
        List<LogEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long offset = buffer.getLong();
            int epoch = buffer.getInt();
            boolean control = buffer.get() == 1;
            byte[] data = new byte[buffer.getInt()];
            buffer.get(data);
            entries.add(new LogEntry(offset, epoch, control, data));
        }
        if (buffer.hasRemaining()) {
            throw new IllegalStateException("snapshot has " + buffer.remaining() + " bytes after its " + count + " entries");
        }
        return entries;
    }
}
