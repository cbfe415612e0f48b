package io.tributary.quorum.runtime;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.BindableService;
import io.tributary.common.Time;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.MetadataRecordList;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.image.MetadataLoader.CommittedRecord;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.QuorumInfo;
import io.tributary.quorum.raft.RaftConfig;
import io.tributary.quorum.raft.RaftStatus;
import io.tributary.quorum.transport.GrpcRaftTransport;
import io.tributary.storage.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One node's membership in the metadata quorum: the Raft driver over the metadata log in
 * {@code <metadataLogDir>/__cluster_metadata-0}, its gRPC transport, and the applier that folds every
 * committed entry into the {@link MetadataLoader} — on voters (controllers) and observers (brokers)
 * alike. One controller operation is one Raft entry (a {@link MetadataRecordList}), so its records
 * commit atomically.
 *
 * <p>Thread-safe: everything is handed to the driver's or the applier's thread.
 */
public final class MetadataQuorum implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MetadataQuorum.class);

    private final int nodeId;
    private final Map<Integer, InetSocketAddress> voters;
    private final GrpcRaftTransport transport;
    private final MetadataApplier applier;
    private final RaftDriver driver;
    private final Time time;
    private volatile boolean closed;

    /**
     * How a node takes part in the quorum.
     *
     * @param voters             every voter's controller-listener address (a single voter may map to
     *                           null: it never sends); this node is a voter if it is among them, else an observer
     * @param snapshotMaxBytes   snapshot the image after this many bytes of metadata entries
     * @param snapshotIntervalMs or this long after the last snapshot, if anything changed
     */
    public record Settings(int nodeId, Map<Integer, InetSocketAddress> voters, Path metadataLogDir,
                           long electionTimeoutMs, long fetchTimeoutMs, long snapshotMaxBytes,
                           long snapshotIntervalMs) {

        public Settings {
            voters = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(voters));
        }
    }

    /** Opens the metadata log, its latest snapshot and quorum-state; {@link #start} starts replicating. */
    public MetadataQuorum(Settings settings, MetadataLoader loader, Time time) {
        this.nodeId = settings.nodeId();
        this.voters = settings.voters();
        this.time = time;
        long electionTimeoutMs = settings.electionTimeoutMs();
        long fetchTimeoutMs = settings.fetchTimeoutMs();
        Path metadataLogDir = settings.metadataLogDir();
        // A held fetch must come back well before the fetcher re-sends it (after fetchTimeoutMs / 2),
        // round trip included, or its answer arrives stale; a quarter leaves that margin (500 ms by default).
        RaftConfig config = new RaftConfig(nodeId, voters.keySet(), electionTimeoutMs, fetchTimeoutMs,
                Math.max(1, Math.min(fetchTimeoutMs / 4, electionTimeoutMs / 2)), 1024);
        Path logDir = metadataLogDir.resolve(LogManager.METADATA_LOG_DIR_NAME);
        FileRaftLog raftLog = new FileRaftLog(logDir);
        if (raftLog.endOffset() > 0 && raftLog.lastEpoch() == 0) {
            raftLog.close();
            throw new IllegalStateException(logDir + " holds a metadata log written before the Raft quorum (epoch 0"
                    + " entries); this version cannot read it: start from an empty data directory");
        }
        AtomicReference<RaftDriver> self = new AtomicReference<>();
        this.transport = new GrpcRaftTransport(nodeId, this.voters::get, message -> self.get().deliver(message));
        this.applier = new MetadataApplier(loader, new MetadataApplier.SnapshotPolicy(settings.snapshotMaxBytes(),
                settings.snapshotIntervalMs()), (id, data) -> storeSnapshot(self.get(), id, data),
                () -> leaveQuorum(self.get()), time);
        this.driver = new RaftDriver(config, raftLog, new FileQuorumStateStore(metadataLogDir), transport,
                new RaftDriver.Listener() {
                    @Override
                    public void onCommit(List<LogEntry> entries) {
                        LogEntry last = entries.get(entries.size() - 1);
                        long bytes = entries.stream().mapToLong(e -> e.control() ? 0 : e.data().length).sum();
                        applier.submit(decode(entries), last.offset(), last.epoch(), bytes);
                    }

                    @Override
                    public void onSnapshot(OffsetAndEpoch id, byte[] data) {
                        applier.submitSnapshot(id, data);
                    }
                }, time);
        self.set(driver);
    }

    private static void storeSnapshot(RaftDriver driver, OffsetAndEpoch id, byte[] data) {
        driver.snapshotCreated(id, data).whenComplete((stored, error) -> {
            if (error != null) {
                log.warn("The metadata snapshot {} was not stored: {}", id, error.getMessage());
            } else if (stored) {
                log.info("Stored the metadata snapshot {} ({} bytes); the log before it is deleted", id, data.length);
            }
        });
    }

    /**
     * The image can no longer follow the log: stop the Raft driver, so a voter stops voting and
     * leading (another voter takes over) and a broker stops replicating (its heartbeats stop too, see
     * {@link #failed()}, so the controller fences it).
     */
    private static void leaveQuorum(RaftDriver driver) {
        log.error("Node {} leaves the metadata quorum: its metadata image cannot be updated", driver.nodeId());
        driver.close();
    }

    /** Whether applying metadata failed for good on this node (it must be restarted). */
    public boolean failed() {
        return applier.failed() && !closed;
    }

    public void start() {
        driver.start();
    }

    /** The Raft service to serve on the controller listener (voters); observers need not serve it. */
    public BindableService service() {
        return transport.service(driver::deliver, this::describeLocally);
    }

    /** This node's view of the quorum, its times turned from the driver's monotonic clock into wall-clock time. */
    private CompletableFuture<QuorumInfo> describeLocally() {
        return driver.describeQuorum().thenApply(info -> {
            long monotonicNowMs = time.hiResMilliseconds();
            long wallNowMs = time.milliseconds();
            return new QuorumInfo(info.leaderId(), info.epoch(), info.highWatermark(),
                    info.voters().stream().map(r -> toWallClock(r, monotonicNowMs, wallNowMs)).toList(),
                    info.observers().stream().map(r -> toWallClock(r, monotonicNowMs, wallNowMs)).toList());
        });
    }

    private static QuorumInfo.ReplicaState toWallClock(QuorumInfo.ReplicaState replica, long monotonicNowMs,
                                                       long wallNowMs) {
        return new QuorumInfo.ReplicaState(replica.nodeId(), replica.endOffset(),
                wallNowMs - (monotonicNowMs - replica.lastFetchMs()),
                replica.lastCaughtUpMs() < 0 ? -1 : wallNowMs - (monotonicNowMs - replica.lastCaughtUpMs()));
    }

    public int nodeId() {
        return nodeId;
    }

    /** Every voter's controller-listener address (null for a single voter that never sends). */
    public Map<Integer, InetSocketAddress> voters() {
        return voters;
    }

    /** The leader (active controller) this node knows of, or -1. */
    public int leaderId() {
        return driver.leaderId();
    }

    public int epoch() {
        return driver.epoch();
    }

    /**
     * The quorum as its leader sees it, with every replica's progress: this node's own view when it
     * leads, else the view of the leader it knows, asked over the leader's controller listener (at
     * most {@code timeoutMs}). Fails with a (retriable) {@link BrokerNotAvailableException} saying
     * what is missing: no leader known to this node, the leader unreachable, or no longer leading.
     */
    public CompletableFuture<QuorumInfo> describeFromLeader(long timeoutMs) {
        int leader = leaderId();
        if (leader < 0) {
            return CompletableFuture.failedFuture(new BrokerNotAvailableException("node " + nodeId
                    + " knows no metadata quorum leader (no active controller; an election may be in progress)"));
        }
        CompletableFuture<QuorumInfo> view = leader == nodeId
                ? describeLocally()
                : transport.describeQuorumAt(leader, timeoutMs);
        return view.thenCompose(info -> info.leaderId() == leader && !info.voters().isEmpty()
                ? CompletableFuture.completedFuture(info)
                : CompletableFuture.failedFuture(new BrokerNotAvailableException("controller " + leader
                        + " no longer leads the metadata quorum (it knows leader " + info.leaderId() + ")")));
    }

    /** See {@link RaftDriver#status()}: never blocks, so metrics may read it on any thread. */
    public RaftStatus raftStatus() {
        return driver.status();
    }

    /** See {@link RaftDriver#leadership()}. */
    public CompletableFuture<RaftDriver.Leadership> leadership() {
        return driver.leadership();
    }

    /**
     * Appends {@code records} as one entry if this node still leads {@code expectedEpoch}; completes
     * with the entry's offset once it is committed and applied to the loader's image.
     */
    public CompletableFuture<Long> append(List<MetadataRecord> records, int expectedEpoch) {
        byte[] entry = MetadataRecordList.newBuilder().addAllRecords(records).build().toByteArray();
        return driver.append(entry, expectedEpoch)
                .thenCompose(offset -> applier.awaitApplied(offset).thenApply(ignored -> offset));
    }

    /** Completes once every committed entry up to {@code offset} was applied to the image. */
    public CompletableFuture<Void> awaitApplied(long offset) {
        return applier.awaitApplied(offset);
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

    /** Stops replicating: the driver (closing the log), then the transport and the applier. */
    @Override
    public void close() {
        closed = true;
        driver.close();
        transport.close();
        applier.close();
    }
}
