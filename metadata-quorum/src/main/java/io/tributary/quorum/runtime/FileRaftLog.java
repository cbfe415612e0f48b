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

/**
 * The metadata log on disk: a {@link RaftLog} over the storage module's segmented {@link Log}. Each
 * entry is one v2 record batch holding one record, stamped with the entry's epoch as its partition
 * leader epoch (so the log's leader-epoch cache answers "end offset for epoch"); a leader's control
 * entry is a control batch. Retention is off: only snapshots may remove a prefix.
 *
 * <p>Called only from the Raft driver thread.
 */
public final class FileRaftLog implements RaftLog, AutoCloseable {

    private static final LogConfig CONFIG = LogConfig.fromProperties(Map.of("retention.ms", "-1",
            "retention.bytes", "-1", "segment.bytes", String.valueOf(64 << 20)));
    private static final int READ_BYTES = 4 << 20;

    private final Scheduler scheduler;
    private final Log log;
    private long flushedEnd;

    /** Opens (or creates) the log in {@code dir}, recovering whatever a crash left half-written. */
    public FileRaftLog(Path dir) {
        this.scheduler = Scheduler.threadPool("raft-log-", 1);
        this.log = Log.builder(dir).config(CONFIG).scheduler(scheduler).build();
        this.flushedEnd = log.logEndOffset();
        checkEpochCache(dir);
    }

    /**
     * The leader-epoch cache is written at every append, while a truncation may not be durable: after
     * a power loss the cache can name an epoch the recovered data does not end with. Raft would then
     * advertise a log it does not have, so such a log is refused rather than trusted.
     */
    private void checkEpochCache(Path dir) {
        if (log.logEndOffset() == 0) {
            return;
        }
        int dataEpoch = read(log.logEndOffset() - 1, 1).get(0).epoch();
        int cachedEpoch = log.latestEpoch().orElse(-1);
        if (dataEpoch != cachedEpoch) {
            log.close();
            scheduler.close();
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
    public int lastEpoch() {
        return log.logEndOffset() == 0 ? 0 : log.latestEpoch().orElse(0);
    }

    @Override
    public long flushedEndOffset() {
        return Math.min(flushedEnd, log.logEndOffset());
    }

    /**
     * The {@link RaftLog} contract on top of the storage epoch cache, whose answers differ at the
     * edges: an epoch at or above the last one ends at the log end; one older than every entry's (the
     * cache reports it with the first epoch's start, 0 here) ends at {@code (0, 0)}.
     */
    @Override
    public OffsetAndEpoch endOffsetForEpoch(int epoch) {
        if (log.logEndOffset() == 0) {
            return new OffsetAndEpoch(0, 0);
        }
        if (epoch >= lastEpoch()) {
            return new OffsetAndEpoch(log.logEndOffset(), lastEpoch());
        }
        return log.epochEndOffset(epoch)
                .filter((EpochEndOffset end) -> end.endOffset() > 0)
                .map(end -> new OffsetAndEpoch(end.endOffset(), end.epoch()))
                .orElse(new OffsetAndEpoch(0, 0));
    }

    @Override
    public int epochAt(long offset) {
        if (offset == log.logEndOffset() - 1) {
            return lastEpoch();
        }
        return read(offset, 1).get(0).epoch();
    }

    @Override
    public List<LogEntry> read(long fromOffset, int maxEntries) {
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
        if (offset < log.logEndOffset()) {
            log.truncateTo(offset);
            flushedEnd = Math.min(flushedEnd, offset);
        }
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
