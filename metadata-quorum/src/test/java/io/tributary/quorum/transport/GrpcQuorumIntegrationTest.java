package io.tributary.quorum.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tributary.common.Time;
import io.tributary.proto.quorum.v1.DescribeQuorumRequest;
import io.tributary.proto.quorum.v1.DescribeQuorumResponse;
import io.tributary.proto.quorum.v1.FetchRequest;
import io.tributary.proto.quorum.v1.QuorumServiceGrpc;
import io.tributary.proto.quorum.v1.RaftEnvelope;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.RaftConfig;
import io.tributary.quorum.runtime.FileQuorumStateStore;
import io.tributary.quorum.runtime.FileRaftLog;
import io.tributary.quorum.runtime.RaftDriver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three Raft nodes talking gRPC on loopback, with real files. */
@Tag("integration")
class GrpcQuorumIntegrationTest {

    /** Snapshots travel in several calls. */
    private static final int CHUNK_BYTES = 4;

    @TempDir
    Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<Integer, RaftDriver> drivers = new HashMap<>();
    private final Map<Integer, Server> servers = new HashMap<>();
    private final Map<Integer, List<Long>> committed = new HashMap<>();

    /** Records the offsets committed to it, and the snapshot it last loaded. */
    private static final class Recorder implements RaftDriver.Listener {
        final List<Long> offsets = new CopyOnWriteArrayList<>();
        final AtomicReference<OffsetAndEpoch> snapshotId = new AtomicReference<>();
        final AtomicReference<byte[]> snapshot = new AtomicReference<>();

        @Override
        public void onCommit(List<LogEntry> entries) {
            entries.forEach(e -> offsets.add(e.offset()));
        }

        @Override
        public void onSnapshot(OffsetAndEpoch id, byte[] data) {
            snapshotId.set(id);
            snapshot.set(data);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        servers.values().forEach(Server::shutdownNow);
    }

    private void startQuorum() throws Exception {
        Map<Integer, InetSocketAddress> addresses = new ConcurrentHashMap<>();
        Map<Integer, GrpcRaftTransport> transports = new HashMap<>();
        Map<Integer, AtomicReference<RaftDriver>> holders = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            AtomicReference<RaftDriver> holder = new AtomicReference<>();
            holders.put(id, holder);
            GrpcRaftTransport transport = new GrpcRaftTransport(id, addresses::get,
                    message -> holder.get().deliver(message));
            transports.put(id, transport);
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(transport.service(message -> holder.get().deliver(message),
                            () -> holder.get().describeQuorum())).build().start();
            servers.put(id, server);
            addresses.put(id, new InetSocketAddress("127.0.0.1", server.getPort()));
        }
        for (int id = 1; id <= 3; id++) {
            GrpcRaftTransport transport = transports.get(id);
            Recorder recorder = new Recorder();
            committed.put(id, recorder.offsets);
            Path nodeDir = dir.resolve("node-" + id);
            RaftDriver driver = new RaftDriver(new RaftConfig(id, Set.of(1, 2, 3), 150, 400, 100, 64, CHUNK_BYTES),
                    new FileRaftLog(nodeDir.resolve("__cluster_metadata-0")), new FileQuorumStateStore(nodeDir),
                    transport, recorder, Time.SYSTEM);
            holders.get(id).set(driver);
            drivers.put(id, driver);
            closeables.add(transport);
            closeables.add(driver);
            driver.start();
        }
    }

    private int awaitLeader() {
        int[] leader = {-1};
        await().atMost(20, TimeUnit.SECONDS).until(() -> {
            int known = drivers.get(1).leaderId();
            leader[0] = known;
            return known > 0 && drivers.values().stream().allMatch(d -> d.leaderId() == known);
        });
        return leader[0];
    }

    @Test
    void aQuorumOverGrpcElectsALeaderAndCommitsEverywhere() throws Exception {
        startQuorum();
        int leader = awaitLeader();
        long offset = drivers.get(leader).append("hello".getBytes()).get(10, TimeUnit.SECONDS);
        await().atMost(20, TimeUnit.SECONDS).until(() -> committed.values().stream().allMatch(c -> c.contains(offset)));
        DescribeQuorumResponse quorum = describe(leader);
        assertEquals(leader, quorum.getLeaderId());
        assertTrue(quorum.getHighWatermark() > offset);
        assertEquals(3, quorum.getVotersCount());
        await().atMost(20, TimeUnit.SECONDS).until(() -> describe(leader).getVotersList().stream()
                .allMatch(v -> v.getLogEndOffset() > offset));
        int follower = leader == 1 ? 2 : 1;
        DescribeQuorumResponse fromFollower = describe(follower);
        assertEquals(leader, fromFollower.getLeaderId(), "a follower names the leader");
        assertEquals(0, fromFollower.getVotersCount(), "only the leader knows replica progress");
        assertThrows(java.util.concurrent.ExecutionException.class,
                () -> drivers.get(follower).append("no".getBytes()).get(10, TimeUnit.SECONDS),
                "a follower refuses appends");
    }

    @Test
    void anObserverWithoutAnAddressReplicatesThroughCalls() throws Exception {
        startQuorum();
        int leader = awaitLeader();
        Recorder recorder = new Recorder();
        List<Long> observed = recorder.offsets;
        AtomicReference<RaftDriver> holder = new AtomicReference<>();
        Map<Integer, InetSocketAddress> voterAddresses = new HashMap<>();
        servers.forEach((id, server) -> voterAddresses.put(id, new InetSocketAddress("127.0.0.1", server.getPort())));
        GrpcRaftTransport transport = new GrpcRaftTransport(4, voterAddresses::get,
                message -> holder.get().deliver(message));
        Path nodeDir = dir.resolve("observer-4");
        RaftDriver observer = new RaftDriver(new RaftConfig(4, Set.of(1, 2, 3), 150, 400, 100, 64),
                new FileRaftLog(nodeDir.resolve("__cluster_metadata-0")), new FileQuorumStateStore(nodeDir),
                transport, recorder, Time.SYSTEM);
        holder.set(observer);
        closeables.add(transport);
        closeables.add(observer);
        observer.start();
        long offset = drivers.get(leader).append("seen by the observer".getBytes()).get(10, TimeUnit.SECONDS);
        await().atMost(20, TimeUnit.SECONDS).until(() -> observed.contains(offset));
        await().atMost(20, TimeUnit.SECONDS).until(() -> describe(leader).getObserversList().stream()
                .anyMatch(o -> o.getNodeId() == 4 && o.getLogEndOffset() > offset));
        assertEquals(3, describe(leader).getVotersCount(), "the observer does not vote");
    }

    @Test
    void anObserverBehindTheLeadersSnapshotFetchesItInChunksOverCalls() throws Exception {
        startQuorum();
        int leader = awaitLeader();
        long last = -1;
        for (int i = 0; i < 3; i++) {
            last = drivers.get(leader).append(("entry " + i).getBytes()).get(10, TimeUnit.SECONDS);
        }
        OffsetAndEpoch id = new OffsetAndEpoch(last + 1, drivers.get(leader).epoch());
        byte[] state = "the state after three entries".getBytes();
        assertTrue(drivers.get(leader).snapshotCreated(id, state).get(10, TimeUnit.SECONDS));

        Recorder listener = new Recorder();
        List<Long> observed = listener.offsets;
        AtomicReference<RaftDriver> holder = new AtomicReference<>();
        Map<Integer, InetSocketAddress> voterAddresses = new HashMap<>();
        servers.forEach((node, server) -> voterAddresses.put(node, new InetSocketAddress("127.0.0.1", server.getPort())));
        GrpcRaftTransport transport = new GrpcRaftTransport(4, voterAddresses::get,
                message -> holder.get().deliver(message));
        Path nodeDir = dir.resolve("observer-4");
        RaftDriver observer = new RaftDriver(new RaftConfig(4, Set.of(1, 2, 3), 150, 400, 100, 64, CHUNK_BYTES),
                new FileRaftLog(nodeDir.resolve("__cluster_metadata-0")), new FileQuorumStateStore(nodeDir),
                transport, listener, Time.SYSTEM);
        holder.set(observer);
        closeables.add(transport);
        closeables.add(observer);
        observer.start();
        await().atMost(20, TimeUnit.SECONDS).until(() -> listener.snapshot.get() != null);
        assertEquals(id, listener.snapshotId.get());
        assertArrayEquals(state, listener.snapshot.get());
        long after = drivers.get(leader).append("after the snapshot".getBytes()).get(10, TimeUnit.SECONDS);
        await().atMost(20, TimeUnit.SECONDS).until(() -> observed.contains(after));
        assertTrue(observed.stream().allMatch(offset -> offset >= id.offset()), "entries follow the snapshot");
    }

    private DescribeQuorumResponse describe(int node) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", servers.get(node).getPort()).usePlaintext()
                .build();
        try {
            return QuorumServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .describeQuorum(DescribeQuorumRequest.getDefaultInstance());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void malformedOrMisaddressedMessagesAreRejected() throws Exception {
        startQuorum();
        awaitLeader();
        int epoch = drivers.get(1).epoch();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", servers.get(1).getPort()).usePlaintext()
                .build();
        try {
            QuorumServiceGrpc.QuorumServiceBlockingStub stub = QuorumServiceGrpc.newBlockingStub(channel);
            StatusRuntimeException empty = assertThrows(StatusRuntimeException.class,
                    () -> stub.send(RaftEnvelope.newBuilder().setFrom(2).setTo(1).setEpoch(1).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
            assertTrue(empty.getStatus().getDescription().contains("no message"));
            StatusRuntimeException misaddressed = assertThrows(StatusRuntimeException.class,
                    () -> stub.call(RaftEnvelope.newBuilder().setFrom(2).setTo(3).setEpoch(1)
                            .setFetchRequest(FetchRequest.newBuilder().setFetchOffset(0)).build()));
            assertTrue(misaddressed.getStatus().getDescription().contains("sent to node 1"));
            StatusRuntimeException negative = assertThrows(StatusRuntimeException.class,
                    () -> stub.call(RaftEnvelope.newBuilder().setFrom(2).setTo(1).setEpoch(1)
                            .setFetchRequest(FetchRequest.newBuilder().setFetchOffset(-4)).build()));
            assertTrue(negative.getStatus().getDescription().contains("negative fetch_offset"));
            StatusRuntimeException fetchAsOneWay = assertThrows(StatusRuntimeException.class,
                    () -> stub.send(RaftEnvelope.newBuilder().setFrom(2).setTo(1).setEpoch(1)
                            .setFetchRequest(FetchRequest.newBuilder().setFetchOffset(0)).build()));
            assertTrue(fetchAsOneWay.getStatus().getDescription().contains("must be sent with Call"));
            StatusRuntimeException voteAsCall = assertThrows(StatusRuntimeException.class,
                    () -> stub.call(RaftEnvelope.newBuilder().setFrom(2).setTo(1).setEpoch(1)
                            .setBeginQuorumEpoch(io.tributary.proto.quorum.v1.BeginQuorumEpoch.getDefaultInstance())
                            .build()));
            assertTrue(voteAsCall.getStatus().getDescription().contains("is not a request"));
        } finally {
            channel.shutdownNow();
        }
        assertEquals(epoch, drivers.get(1).epoch(), "rejected messages changed nothing");
    }
}
