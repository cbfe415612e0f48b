package io.tributary.broker.controller;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tributary.broker.metadata.MetadataLoader;
import io.tributary.broker.metadata.MetadataLoader.CommittedRecord;
import io.tributary.common.Time;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.MetadataRecordList;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.RaftConfig;
import io.tributary.quorum.runtime.FileQuorumStateStore;
import io.tributary.quorum.runtime.FileRaftLog;
import io.tributary.quorum.runtime.RaftDriver;
import io.tributary.storage.LogManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The metadata log replicated by the Raft quorum. One controller operation is one Raft entry (a
 * {@link MetadataRecordList}), so its records commit atomically. Every committed entry — this node's
 * own and, later, other leaders' — reaches the {@link MetadataLoader} in offset order through the
 * {@link MetadataApplier}'s thread (never the Raft driver's); {@link #appendAndCommit} returns only
 * after its entry was applied there.
 *
 * <p>For now the quorum is this node alone (it is the only voter); multi-node quorums come with
 * {@code controller.quorum.voters} and the gRPC transport.
 */
public final class RaftMetadataLog implements MetadataLog {

    private final RaftDriver driver;
    private final MetadataApplier applier;
    private final long leaderWaitMs;

    /**
     * Opens the log in {@code <metadataLogDir>/__cluster_metadata-0} and {@code quorum-state}, and
     * starts the driver, which replays every committed entry into {@code loader} as it commits.
     */
    public RaftMetadataLog(int nodeId, Path metadataLogDir, long electionTimeoutMs, long fetchTimeoutMs,
                           MetadataLoader loader, Time time) {
        RaftConfig config = new RaftConfig(nodeId, Set.of(nodeId), electionTimeoutMs, fetchTimeoutMs,
                Math.min(500, Math.min(fetchTimeoutMs / 4, electionTimeoutMs / 2)), 1024);
        FileRaftLog raftLog = new FileRaftLog(metadataLogDir.resolve(LogManager.METADATA_LOG_DIR_NAME));
        if (raftLog.endOffset() > 0 && raftLog.lastEpoch() == 0) {
            raftLog.close();
            throw new IllegalStateException(metadataLogDir.resolve(LogManager.METADATA_LOG_DIR_NAME)
                    + " holds a metadata log written before the Raft quorum (epoch 0 entries); this version cannot "
                    + "read it: start from an empty data directory");
        }
        this.applier = new MetadataApplier(loader);
        this.driver = new RaftDriver(config, raftLog, new FileQuorumStateStore(metadataLogDir),
                message -> { }, entries -> applier.submit(decode(entries), entries.get(entries.size() - 1).offset()),
                time);
        this.leaderWaitMs = 4 * electionTimeoutMs + fetchTimeoutMs;
        driver.start();
    }

    @Override
    public List<CommittedRecord> appendAndCommit(List<MetadataRecord> records) {
        byte[] entry = MetadataRecordList.newBuilder().addAllRecords(records).build().toByteArray();
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaderWaitMs);
        while (true) {
            try {
                long offset = driver.append(entry).get(leaderWaitMs, TimeUnit.MILLISECONDS);
                applier.awaitApplied(offset).get(leaderWaitMs, TimeUnit.MILLISECONDS);
                List<CommittedRecord> committed = new ArrayList<>();
                records.forEach(record -> committed.add(new CommittedRecord(offset, record)));
                return committed;
            } catch (ExecutionException e) {
                Throwable cause = Errors.unwrap(e);
                if (!(cause instanceof NotLeaderOrFollowerException) || System.nanoTime() > deadlineNs) {
                    throw cause instanceof RuntimeException runtime ? runtime
                            : new BrokerNotAvailableException("metadata append failed: " + cause, cause);
                }
                awaitLeadership();
            } catch (TimeoutException e) {
                throw new BrokerNotAvailableException("the metadata quorum did not commit within " + leaderWaitMs
                        + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerNotAvailableException("interrupted while committing metadata", e);
            }
        }
    }

    /** Waits for the driver's next turn, by which an election in progress may have finished. */
    private void awaitLeadership() {
        try {
            driver.describeQuorum().get(leaderWaitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerNotAvailableException("the metadata quorum is not available: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerNotAvailableException("interrupted while waiting for the metadata leader", e);
        }
    }

    private static List<CommittedRecord> decode(List<LogEntry> entries) {
        List<CommittedRecord> committed = new ArrayList<>();
        for (LogEntry entry : entries) {
            if (entry.control()) {
                continue;
            }
            try {
                for (MetadataRecord record : MetadataRecordList.parseFrom(entry.data()).getRecordsList()) {
                    committed.add(new CommittedRecord(entry.offset(), record));
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("metadata log entry " + entry.offset() + " (epoch " + entry.epoch()
                        + ") is not a MetadataRecordList", e);
            }
        }
        return committed;
    }

    @Override
    public void close() {
        driver.close();
        applier.close();
    }
}
