package io.tributary.storage.internal.epoch;

import io.tributary.storage.CorruptCheckpointException;
import io.tributary.storage.EpochEndOffset;
import io.tributary.storage.internal.checkpoint.CheckpointFile;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * For each leader epoch seen in a partition's log, the offset of its first batch. Replicas use it to
 * find where their log diverges from the leader's (the "end offset for epoch" exchange), so it must
 * stay consistent with the log: entries are added when an appended batch carries a larger epoch and
 * removed when the log is truncated at either end.
 *
 * <p>Persisted to {@code leader-epoch-checkpoint} (version 0, lines {@code <epoch> <startOffset>})
 * atomically on every change; changes are rare (once per leader election). Invariant: epochs strictly
 * increase and start offsets do not decrease. Thread-safe (all methods synchronized).
 */
public final class LeaderEpochCache {

    public static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final int VERSION = 0;

    /** One epoch and the offset of its first batch. */
    public record EpochEntry(int epoch, long startOffset) {
    }

    private final CheckpointFile<EpochEntry> file;
    private final TreeMap<Integer, Long> startOffsetByEpoch = new TreeMap<>();

    private LeaderEpochCache(CheckpointFile<EpochEntry> file, List<EpochEntry> entries) {
        this.file = file;
        for (EpochEntry entry : entries) {
            startOffsetByEpoch.put(entry.epoch(), entry.startOffset());
        }
    }

    /**
     * Loads the cache of the partition in {@code partitionDir}; empty when the file is missing.
     *
     * @throws CorruptCheckpointException when the file is malformed or breaks the ordering invariant
     */
    public static LeaderEpochCache load(FileIo io, Path partitionDir) throws IOException {
        CheckpointFile<EpochEntry> file = new CheckpointFile<>(io, partitionDir.resolve(FILE_NAME), VERSION,
                new Format());
        List<EpochEntry> entries = file.read();
        for (int i = 1; i < entries.size(); i++) {
            EpochEntry previous = entries.get(i - 1);
            EpochEntry current = entries.get(i);
            if (current.epoch() <= previous.epoch() || current.startOffset() < previous.startOffset()) {
                throw new CorruptCheckpointException(file.file(), i + 3, "entry " + current
                        + " does not follow " + previous + " (epochs must increase, offsets must not decrease)");
            }
        }
        return new LeaderEpochCache(file, entries);
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset}, when {@code epoch} is larger than the
     * latest epoch (smaller or equal epochs and negative "no epoch" values are ignored). Entries that
     * start at or after {@code startOffset} are dropped first: they describe data that is gone.
     *
     * @return whether the cache changed (and was persisted)
     */
    public synchronized boolean assign(int epoch, long startOffset) throws IOException {
        if (epoch < 0 || (!startOffsetByEpoch.isEmpty() && epoch <= startOffsetByEpoch.lastKey())) {
            return false;
        }
        startOffsetByEpoch.values().removeIf(start -> start >= startOffset);
        startOffsetByEpoch.put(epoch, startOffset);
        persist();
        return true;
    }

    public synchronized Optional<Integer> latestEpoch() {
        return startOffsetByEpoch.isEmpty() ? Optional.empty() : Optional.of(startOffsetByEpoch.lastKey());
    }

    /**
     * Where {@code requestedEpoch} ends: for the latest epoch, {@code logEndOffset}; for an older one,
     * the start of the next larger epoch, paired with the largest known epoch at most the requested
     * one (or the requested epoch itself when it is older than every known epoch). Empty when the
     * cache is empty or the requested epoch is newer than every known epoch.
     */
    public synchronized Optional<EpochEndOffset> endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (startOffsetByEpoch.isEmpty() || requestedEpoch < 0) {
            return Optional.empty();
        }
        if (requestedEpoch == startOffsetByEpoch.lastKey()) {
            return Optional.of(new EpochEndOffset(requestedEpoch, logEndOffset));
        }
        Map.Entry<Integer, Long> higher = startOffsetByEpoch.higherEntry(requestedEpoch);
        if (higher == null) {
            return Optional.empty();
        }
        Map.Entry<Integer, Long> floor = startOffsetByEpoch.floorEntry(requestedEpoch);
        int epoch = floor == null ? requestedEpoch : floor.getKey();
        return Optional.of(new EpochEndOffset(epoch, higher.getValue()));
    }

    /** Drops the entries of epochs that start at or after {@code endOffset} (the log was truncated there). */
    public synchronized void truncateFromEnd(long endOffset) throws IOException {
        if (startOffsetByEpoch.values().removeIf(start -> start >= endOffset)) {
            persist();
        }
    }

    /**
     * Forgets everything below {@code startOffset} (the log start moved there): entries of epochs that
     * end at or before it are dropped and the epoch holding it is moved to start there.
     */
    public synchronized void truncateFromStart(long startOffset) throws IOException {
        Integer holderEpoch = null;
        for (Map.Entry<Integer, Long> entry : startOffsetByEpoch.entrySet()) {
            if (entry.getValue() <= startOffset) {
                holderEpoch = entry.getKey();
            }
        }
        if (holderEpoch == null) {
            return;
        }
        Map<Integer, Long> older = startOffsetByEpoch.headMap(holderEpoch);
        boolean changed = !older.isEmpty() || startOffsetByEpoch.get(holderEpoch) != startOffset;
        older.clear();
        startOffsetByEpoch.put(holderEpoch, startOffset);
        if (changed) {
            persist();
        }
    }

    /** Forgets every epoch (the log was emptied). */
    public synchronized void clear() throws IOException {
        if (!startOffsetByEpoch.isEmpty()) {
            startOffsetByEpoch.clear();
            persist();
        }
    }

    /** A snapshot of the entries, oldest first. */
    public synchronized List<EpochEntry> entries() {
        List<EpochEntry> entries = new ArrayList<>(startOffsetByEpoch.size());
        startOffsetByEpoch.forEach((epoch, start) -> entries.add(new EpochEntry(epoch, start)));
        return entries;
    }

    private void persist() throws IOException {
        file.write(entries());
    }

    private static final class Format implements CheckpointFile.EntryFormat<EpochEntry> {

        @Override
        public String toLine(EpochEntry entry) {
            return entry.epoch() + " " + entry.startOffset();
        }

        @Override
        public EpochEntry fromLine(String line) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 2) {
                throw new IllegalArgumentException("expected '<epoch> <startOffset>'");
            }
            try {
                return new EpochEntry(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("epoch and start offset must be integers", e);
            }
        }
    }
}
