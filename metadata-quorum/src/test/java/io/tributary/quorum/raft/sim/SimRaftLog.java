package io.tributary.quorum.raft.sim;

import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.RaftLog;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link RaftLog} with a simulated disk: {@link #flush()} makes the current entries
 * durable, and {@link #crash()} puts back what was durable, losing unflushed appends and undoing
 * unflushed truncations, as a power loss would.
 */
public final class SimRaftLog implements RaftLog {

    private List<LogEntry> entries = new ArrayList<>();
    private List<LogEntry> durable = new ArrayList<>();

    @Override
    public long endOffset() {
        return entries.size();
    }

    @Override
    public int lastEpoch() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).epoch();
    }

    @Override
    public long flushedEndOffset() {
        // Entries are durable up to the first position where memory and disk differ.
        int common = 0;
        while (common < entries.size() && common < durable.size() && entries.get(common).equals(durable.get(common))) {
            common++;
        }
        return common;
    }

    @Override
    public OffsetAndEpoch endOffsetForEpoch(int epoch) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            int entryEpoch = entries.get(i).epoch();
            if (entryEpoch <= epoch) {
                return new OffsetAndEpoch(i + 1, entryEpoch);
            }
        }
        return new OffsetAndEpoch(0, 0);
    }

    @Override
    public int epochAt(long offset) {
        return entries.get((int) offset).epoch();
    }

    @Override
    public List<LogEntry> read(long fromOffset, int maxEntries) {
        if (fromOffset >= entries.size()) {
            return List.of();
        }
        int to = (int) Math.min(entries.size(), fromOffset + maxEntries);
        return List.copyOf(entries.subList((int) fromOffset, to));
    }

    @Override
    public void append(List<LogEntry> appended) {
        for (LogEntry entry : appended) {
            if (entry.offset() != entries.size()) {
                throw new IllegalStateException("append at " + entry.offset() + " to a log ending at " + entries.size());
            }
            entries.add(entry);
        }
    }

    @Override
    public void truncateTo(long offset) {
        if (offset < entries.size()) {
            entries = new ArrayList<>(entries.subList(0, (int) offset));
        }
    }

    public void flush() {
        durable = new ArrayList<>(entries);
    }

    public void crash() {
        entries = new ArrayList<>(durable);
    }

    /** The entry at {@code offset}, or null past the end. */
    LogEntry entryAt(long offset) {
        return offset < entries.size() ? entries.get((int) offset) : null;
    }
}
