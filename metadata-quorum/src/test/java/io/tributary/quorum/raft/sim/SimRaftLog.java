package io.tributary.quorum.raft.sim;

import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.RaftLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory {@link RaftLog} with a simulated disk: {@link #flush()} makes the current entries
 * durable, and {@link #crash()} puts back what was durable, losing unflushed appends and undoing
 * unflushed truncations, as a power loss would. Snapshot operations (creating, installing, deleting
 * the prefix) are durable at once, as the file-backed log's are when they return.
 */
public final class SimRaftLog implements RaftLog {

    private long start;
    /** Entries from {@code start}. */
    private List<LogEntry> entries = new ArrayList<>();
    /** The durable entries from {@code start}. */
    private List<LogEntry> durable = new ArrayList<>();
    private OffsetAndEpoch snapshotId;
    private byte[] snapshotData;
    /** The simulated state machine's view of the snapshot, decoded on first use. */
    private List<LogEntry> snapshotEntries;
    private int installs;

    @Override
    public long endOffset() {
        return start + entries.size();
    }

    @Override
    public int lastEpoch() {
        if (!entries.isEmpty()) {
            return entries.get(entries.size() - 1).epoch();
        }
        return snapshotId == null ? 0 : snapshotId.epoch();
    }

    @Override
    public long flushedEndOffset() {
        // Entries are durable up to the first position where memory and disk differ.
        int common = 0;
        while (common < entries.size() && common < durable.size() && entries.get(common).equals(durable.get(common))) {
            common++;
        }
        return start + common;
    }

    @Override
    public OffsetAndEpoch endOffsetForEpoch(int epoch) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            int entryEpoch = entries.get(i).epoch();
            if (entryEpoch <= epoch) {
                return new OffsetAndEpoch(start + i + 1, entryEpoch);
            }
        }
        return snapshotId != null ? snapshotId : new OffsetAndEpoch(0, 0);
    }

    @Override
    public int epochAt(long offset) {
        if (snapshotId != null && offset == start - 1) {
            return snapshotId.epoch();
        }
        requireInLog(offset, endOffset() - 1);
        return entries.get((int) (offset - start)).epoch();
    }

    @Override
    public List<LogEntry> read(long fromOffset, int maxEntries) {
        requireInLog(fromOffset, endOffset());
        if (fromOffset == endOffset()) {
            return List.of();
        }
        int from = (int) (fromOffset - start);
        int to = (int) Math.min(entries.size(), (long) from + maxEntries);
        return List.copyOf(entries.subList(from, to));
    }

    @Override
    public void append(List<LogEntry> appended) {
        for (LogEntry entry : appended) {
            if (entry.offset() != endOffset()) {
                throw new IllegalStateException("append at " + entry.offset() + " to a log ending at " + endOffset());
            }
            entries.add(entry);
        }
    }

    @Override
    public void truncateTo(long offset) {
        requireInLog(offset, Long.MAX_VALUE);
        if (offset < endOffset()) {
            entries = new ArrayList<>(entries.subList(0, (int) (offset - start)));
        }
    }

    @Override
    public long startOffset() {
        return start;
    }

    @Override
    public Optional<OffsetAndEpoch> latestSnapshot() {
        return Optional.ofNullable(snapshotId);
    }

    @Override
    public long snapshotSizeBytes(OffsetAndEpoch id) {
        requireLatest(id);
        return snapshotData.length;
    }

    @Override
    public byte[] readSnapshot(OffsetAndEpoch id, long position, int maxBytes) {
        requireLatest(id);
        if (position < 0 || position > snapshotData.length) {
            throw new IllegalArgumentException("position " + position + " outside snapshot " + id + " of "
                    + snapshotData.length + " bytes");
        }
        int from = (int) position;
        return Arrays.copyOfRange(snapshotData, from, (int) Math.min(snapshotData.length, (long) from + maxBytes));
    }

    @Override
    public void createSnapshot(OffsetAndEpoch id, byte[] data) {
        if (id.offset() <= start || id.offset() > endOffset() || epochAt(id.offset() - 1) != id.epoch()) {
            throw new IllegalArgumentException("snapshot " + id + " does not end at an entry of log [" + start + ", "
                    + endOffset() + ")");
        }
        setSnapshot(id, data);
    }

    @Override
    public void deletePrefix(OffsetAndEpoch id) {
        requireLatest(id);
        int dropped = (int) (id.offset() - start);
        entries = new ArrayList<>(entries.subList(dropped, entries.size()));
        durable = new ArrayList<>(durable.subList(Math.min(dropped, durable.size()), durable.size()));
        start = id.offset();
    }

    @Override
    public void installSnapshot(OffsetAndEpoch id, byte[] data) {
        setSnapshot(id, data);
        start = id.offset();
        entries = new ArrayList<>();
        durable = new ArrayList<>();
        installs++;
    }

    private void setSnapshot(OffsetAndEpoch id, byte[] data) {
        snapshotId = id;
        snapshotData = data.clone();
        snapshotEntries = null;
    }

    private void requireLatest(OffsetAndEpoch id) {
        if (snapshotId == null || !snapshotId.equals(id)) {
            throw new IllegalArgumentException("snapshot " + id + " is not the latest, " + snapshotId);
        }
    }

    private void requireInLog(long offset, long last) {
        if (offset < start || offset > last) {
            throw new IllegalArgumentException("offset " + offset + " outside log [" + start + ", " + endOffset() + ")");
        }
    }

    public void flush() {
        durable = new ArrayList<>(entries);
    }

    public void crash() {
        entries = new ArrayList<>(durable);
    }

    /** How many snapshots were installed from a leader. */
    int installs() {
        return installs;
    }

    /**
     * The entry at {@code offset}, or null past the end; below the log start, the entry as the
     * simulated state machine's snapshot recorded it.
     */
    LogEntry entryAt(long offset) {
        if (offset < start) {
            if (snapshotEntries == null) {
                snapshotEntries = SimStateMachine.decode(snapshotData);
            }
            return snapshotEntries.get((int) offset);
        }
        return offset < endOffset() ? entries.get((int) (offset - start)) : null;
    }
}
