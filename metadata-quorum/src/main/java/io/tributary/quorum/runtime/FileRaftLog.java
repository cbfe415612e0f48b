package io.tributary.quorum.runtime;

import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.Record;
import io.tributary.common.record.RecordBatch;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.RaftLog;
import io.tributary.storage.EpochEndOffset;
import io.tributary.storage.FetchDataInfo;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.Scheduler;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata log on disk: a {@link RaftLog} over the storage module's segmented {@link Log}, plus
 * snapshot files next to its segments ({@link SnapshotFiles}). Each entry is one v2 record batch
 * holding one record, stamped with the entry's epoch as its partition leader epoch (so the log's
 * leader-epoch cache answers "end offset for epoch"); a leader's control entry is a control batch.
 * Retention is off: only snapshots remove a prefix, through the storage log's own log start offset
 * (DeleteRecords-style), whose segments wholly below it are then deleted.
 *
 * <p>The latest valid snapshot is the durable record of the log start: on open, the storage log
 * starts at its end offset. A log that starts after 0 with no snapshot covering what is missing is
 * refused.
 *
 * <p>Called only from the Raft driver thread.
 */
public final class FileRaftLog implements RaftLog, AutoCloseable {

    static final int DEFAULT_SEGMENT_BYTES = 64 << 20;
    private static final int READ_BYTES = 4 << 20;

    private final Scheduler scheduler;
    private final SnapshotFiles snapshots;
    private final Log log;
    private SnapshotFiles.Stored latest;
    private long flushedEnd;

    /** Opens (or creates) the log in {@code dir}, recovering whatever a crash left half-written. */
    public FileRaftLog(Path dir) {
        this(dir, DEFAULT_SEGMENT_BYTES);
    }

    FileRaftLog(Path dir, int segmentBytes) {
        this.snapshots = new SnapshotFiles(dir);
        this.latest = snapshots.open().orElse(null);
        this.scheduler = Scheduler.threadPool("raft-log-", 1);
        LogConfig config = LogConfig.fromProperties(Map.of("retention.ms", "-1", "retention.bytes", "-1",
                "segment.bytes", String.valueOf(segmentBytes)));
        this.log = Log.builder(dir).config(config).scheduler(scheduler)
                .logStartOffset(latest == null ? -1 : latest.id().offset()).build();
        try {
            checkCoveredBySnapshot(dir);
            forgetEpochsOfAnInterruptedInstall();
            checkEpochCache(dir);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.flushedEnd = log.logEndOffset();
    }

    private void checkCoveredBySnapshot(Path dir) {
        long covered = latest == null ? 0 : latest.id().offset();
        if (log.logStartOffset() > covered) {
            throw new IllegalStateException("metadata log " + dir + " starts at offset " + log.logStartOffset()
                    + " but no snapshot covers the offsets below it (" + (latest == null ? "there is no snapshot"
                    : "the latest valid snapshot ends at " + covered) + "); it cannot be replayed: wipe the directory "
                    + "and let the node catch up from the quorum (a voter rejoins as one that lost its disk)");
        }
    }

    /**
     * A crash during {@link #installSnapshot} can leave the old log's segments, all below the new
     * snapshot: the log is then empty at the snapshot's end, but the epoch cache still names the old
     * data's last epoch, which would make it ignore the (possibly smaller) epochs appended next.
     */
    private void forgetEpochsOfAnInterruptedInstall() {
        if (latest != null && log.logStartOffset() == log.logEndOffset()
                && log.latestEpoch().filter(epoch -> epoch != latest.id().epoch()).isPresent()) {
            log.truncateFullyAndStartAt(latest.id().offset());
        }
    }

    /**
     * The leader-epoch cache is written at every append, while a truncation may not be durable: after
     * a power loss the cache can name an epoch the recovered data does not end with. Raft would then
     * advertise a log it does not have, so such a log is refused rather than trusted.
     */
    private void checkEpochCache(Path dir) {
        if (log.logEndOffset() == log.logStartOffset()) {
            return;
        }
        int dataEpoch = read(log.logEndOffset() - 1, 1).get(0).epoch();
        int cachedEpoch = log.latestEpoch().orElse(-1);
        if (dataEpoch != cachedEpoch) {
            throw new IllegalStateException("metadata log " + dir + " ends with an entry of epoch " + dataEpoch
                    + " but its leader-epoch checkpoint says " + cachedEpoch + "; it cannot be trusted: wipe the "
                    + "directory and let the node catch up from the quorum");
        }
    }

    @Override
    public long endOffset() {
        return log.logEndOffset();
    }

    @Override
    public long startOffset() {
        return log.logStartOffset();
    }

    @Override
    public int lastEpoch() {
        if (log.logEndOffset() == log.logStartOffset()) {
            return latest == null ? 0 : latest.id().epoch();
        }
        return log.latestEpoch().orElse(0);
    }

    @Override
    public long flushedEndOffset() {
        return Math.min(flushedEnd, log.logEndOffset());
    }

    /**
     * The {@link RaftLog} contract on top of the storage epoch cache, whose answers differ at the
     * edges: an epoch at or above the last one ends at the log end; one older than every entry's (the
     * cache reports it with the first epoch's start, the log start here) ends where the snapshot does,
     * or at {@code (0, 0)} without one.
     */
    @Override
    public OffsetAndEpoch endOffsetForEpoch(int epoch) {
        long start = log.logStartOffset();
        OffsetAndEpoch beforeStart = latest == null ? new OffsetAndEpoch(0, 0) : latest.id();
        if (log.logEndOffset() == start) {
            return beforeStart;
        }
        if (epoch >= lastEpoch()) {
            return new OffsetAndEpoch(log.logEndOffset(), lastEpoch());
        }
        return log.epochEndOffset(epoch)
                .filter((EpochEndOffset end) -> end.endOffset() > start)
                .map(end -> new OffsetAndEpoch(end.endOffset(), end.epoch()))
                .orElse(beforeStart);
    }

    @Override
    public int epochAt(long offset) {
        long start = log.logStartOffset();
        if (latest != null && offset == start - 1) {
            return latest.id().epoch();
        }
        if (offset < start || offset >= log.logEndOffset()) {
            throw new IllegalArgumentException("offset " + offset + " is outside the metadata log [" + start + ", "
                    + log.logEndOffset() + ")");
        }
        if (offset == log.logEndOffset() - 1) {
            return lastEpoch();
        }
        return read(offset, 1).get(0).epoch();
    }

    @Override
    public List<LogEntry> read(long fromOffset, int maxEntries) {
        if (fromOffset < log.logStartOffset()) {
            throw new IllegalArgumentException("offset " + fromOffset + " is below the metadata log's start "
                    + log.logStartOffset() + " (a snapshot replaced it)");
        }
        List<LogEntry> entries = new ArrayList<>();
        long next = fromOffset;
        while (entries.size() < maxEntries && next < log.logEndOffset()) {
            FetchDataInfo data = log.read(next, READ_BYTES, Long.MAX_VALUE, true);
            if (data.isEmpty()) {
                break;
            }
            for (RecordBatch batch : MemoryRecords.readableRecords(data.records())) {
                if (batch.baseOffset() < next) {
                    continue;
                }
                Record record = batch.records().get(0);
                entries.add(new LogEntry(batch.baseOffset(), batch.partitionLeaderEpoch(), batch.isControlBatch(),
                        record.value()));
                next = batch.baseOffset() + 1;
                if (entries.size() == maxEntries) {
                    break;
                }
            }
        }
        return entries;
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<ByteBuffer> batches = new ArrayList<>();
        int total = 0;
        for (LogEntry entry : entries) {
            ByteBuffer batch = new RecordBatchBuilder().baseOffset(entry.offset()).partitionLeaderEpoch(entry.epoch())
                    .control(entry.control()).append(0L, null, entry.data()).build();
            batches.add(batch);
            total += batch.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        batches.forEach(all::put);
        all.flip();
        log.append(all);
    }

    @Override
    public void truncateTo(long offset) {
        if (offset < log.logStartOffset()) {
            throw new IllegalArgumentException("cannot truncate the metadata log to " + offset + ", below its start "
                    + log.logStartOffset());
        }
        if (offset < log.logEndOffset()) {
            log.truncateTo(offset);
            flushedEnd = Math.min(flushedEnd, offset);
        }
    }

    @Override
    public Optional<OffsetAndEpoch> latestSnapshot() {
        return latest == null ? Optional.empty() : Optional.of(latest.id());
    }

    @Override
    public long snapshotSizeBytes(OffsetAndEpoch id) {
        return requireLatest(id).sizeBytes();
    }

    @Override
    public byte[] readSnapshot(OffsetAndEpoch id, long position, int maxBytes) {
        return snapshots.read(requireLatest(id), position, maxBytes);
    }

    @Override
    public void createSnapshot(OffsetAndEpoch id, byte[] data) {
        long start = log.logStartOffset();
        if (id.offset() <= start || id.offset() > log.logEndOffset() || epochAt(id.offset() - 1) != id.epoch()) {
            throw new IllegalArgumentException("snapshot " + id + " does not end at an entry of the metadata log ["
                    + start + ", " + log.logEndOffset() + ")");
        }
        latest = snapshots.write(id, data);
    }

    @Override
    public void deletePrefix(OffsetAndEpoch id) {
        requireLatest(id);
        // The storage log moves its start only up to its high watermark, which Raft does not otherwise use.
        log.updateHighWatermark(Math.max(log.highWatermark(), id.offset()));
        log.maybeIncrementLogStartOffset(id.offset());
        log.deleteOldSegments();
        snapshots.deleteAllBut(id);
    }

    /**
     * Truncates the log to the snapshot's end first (durably), then writes the snapshot, then empties
     * the log: a crash in between leaves entries only below the snapshot, which the reopened log
     * starts after ({@link #forgetEpochsOfAnInterruptedInstall}).
     */
    @Override
    public void installSnapshot(OffsetAndEpoch id, byte[] data) {
        if (log.logEndOffset() > id.offset()) {
            log.truncateTo(id.offset());
        }
        latest = snapshots.write(id, data);
        log.truncateFullyAndStartAt(id.offset());
        snapshots.deleteAllBut(id);
        flushedEnd = id.offset();
    }

    private SnapshotFiles.Stored requireLatest(OffsetAndEpoch id) {
        if (latest == null || !latest.id().equals(id)) {
            throw new IllegalArgumentException("snapshot " + id + " is not the latest of the metadata log ("
                    + (latest == null ? "none" : latest.id()) + ")");
        }
        return latest;
    }

    /** Makes every entry durable (fsync); {@link #flushedEndOffset()} then equals the end offset. */
    public void flush() {
        log.flush();
        flushedEnd = log.logEndOffset();
    }

    @Override
    public void close() {
        log.close();
        scheduler.close();
    }
}
