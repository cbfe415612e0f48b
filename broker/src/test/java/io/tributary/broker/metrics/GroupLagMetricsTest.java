package io.tributary.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.tributary.broker.group.CoordinatedGroup;
import io.tributary.broker.grpc.BrokerChannels;
import io.tributary.broker.grpc.GrpcEndOffsets;
import io.tributary.common.MockTime;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsPartitionResponse;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.ListOffsetsResponse;
import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Consumer-group lag rows as scraped over HTTP, with the end offsets of partitions led elsewhere
 * asked over real gRPC of two leaders on loopback: one answers ListOffsets, the other never does.
 */
@Tag("integration")
class GroupLagMetricsTest {

    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final TopicPartition ANSWERED = new TopicPartition(TOPIC, 0);
    private static final TopicPartition SILENT = new TopicPartition(TOPIC, 1);
    private static final long REFRESH_MS = 1_000;

    private final List<Server> servers = new ArrayList<>();
    private final Map<TopicPartition, Long> endOffsets = new ConcurrentHashMap<>(Map.of(ANSWERED, 50L));
    private final AtomicReference<List<CoordinatedGroup>> groups = new AtomicReference<>(
            List.of(new CoordinatedGroup(GROUP, 0, Map.of(ANSWERED, 10L, SILENT, 20L))));
    private final MockTime time = new MockTime();
    private NodeMetrics metrics;
    private GrpcEndOffsets remote;
    private GroupLagMetrics lag;

    @AfterEach
    void tearDown() {
        if (metrics != null) {
            metrics.close();
        }
        servers.forEach(Server::shutdownNow);
    }

    /** Leader 1 answers ListOffsets from {@link #endOffsets}; leader 2 accepts the call and never answers. */
    private void start() throws IOException {
        int answering = serve(new FetchServiceGrpc.FetchServiceImplBase() {
            @Override
            public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> answer) {
                ListOffsetsResponse.Builder response = ListOffsetsResponse.newBuilder();
                for (ListOffsetsPartition p : request.getPartitionsList()) {
                    Long end = endOffsets.get(new TopicPartition(p.getTopic(), p.getPartition()));
                    if (end != null) {
                        response.addPartitions(ListOffsetsPartitionResponse.newBuilder().setTopic(p.getTopic())
                                .setPartition(p.getPartition()).setOffset(end).setErrorCode(ErrorCode.ERROR_CODE_NONE));
                    }
                }
                answer.onNext(response.build());
                answer.onCompleted();
            }
        });
        int silent = serve(new FetchServiceGrpc.FetchServiceImplBase() {
            @Override
            public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> answer) {
                // Never answers: a leader that hangs.
            }
        });
        TreeMap<Integer, PartitionImage> partitions = new TreeMap<>(Map.of(
                0, new PartitionImage(0, List.of(1), List.of(1), 1, 0, 0),
                1, new PartitionImage(1, List.of(2), List.of(2), 2, 0, 0)));
        TreeMap<Integer, BrokerImage> brokers = new TreeMap<>(Map.of(
                1, new BrokerImage(1, "a", "127.0.0.1", answering, null, false, false, 0),
                2, new BrokerImage(2, "b", "127.0.0.1", silent, null, false, false, 0)));
        MetadataImage image = new MetadataImage(0, new TreeMap<>(Map.of(TOPIC,
                new TopicImage(TOPIC, "id", partitions, Map.of()))), Map.of("id", TOPIC), brokers, 0, new TreeMap<>());
        metrics = NodeMetrics.start("127.0.0.1", 0);
        BrokerChannels channels = new BrokerChannels(4 << 20);
        metrics.closeWith(channels);
        remote = new GrpcEndOffsets(() -> image, channels, 30_000);
        metrics.closeWith(remote);
        lag = new GroupLagMetrics(groups::get, tp -> OptionalLong.empty(), remote, REFRESH_MS, time);
        lag.register(metrics);
    }

    private int serve(FetchServiceGrpc.FetchServiceImplBase service) throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service)
                .build().start();
        servers.add(server);
        return server.getPort();
    }

    private Map<Map<String, String>, Double> lagRows() {
        return ScrapeAccess.samples(metrics.port(), "tributary_consumer_group_lag");
    }

    private static Map<String, String> row(TopicPartition tp) {
        return Map.of("group", GROUP, "topic", tp.topic(), "partition", Integer.toString(tp.partition()));
    }

    @Test
    void aLeaderThatNeverAnswersHoldsBackNoOtherLeadersEndOffsets() throws IOException {
        start();
        lag.refreshRemoteEnds();
        assertEquals(Map.of(row(ANSWERED), 40.0), lagRows(), "the answering leader's partition has its lag");

        endOffsets.put(ANSWERED, 60L);
        lag.refreshRemoteEnds();
        assertEquals(Map.of(row(ANSWERED), 50.0), lagRows(), "and it keeps being refreshed");
    }

    @Test
    void anEndOffsetNotConfirmedForThreeRefreshIntervalsIsDropped() throws IOException {
        start();
        lag.refreshRemoteEnds();
        assertEquals(Map.of(row(ANSWERED), 40.0), lagRows());

        endOffsets.clear(); // the leader stops knowing the partition (e.g. it lost leadership)
        time.sleep(2 * REFRESH_MS);
        lag.refreshRemoteEnds();
        assertEquals(Map.of(row(ANSWERED), 40.0), lagRows(), "the last known end offset is still used");

        time.sleep(REFRESH_MS);
        assertEquals(Map.of(), lagRows(), "three intervals without an answer: the row goes, even between refreshes");
        lag.refreshRemoteEnds();
        assertEquals(Map.of(), lagRows());

        endOffsets.put(ANSWERED, 45L);
        lag.refreshRemoteEnds();
        assertEquals(Map.of(row(ANSWERED), 35.0), lagRows(), "a new answer brings it back");
    }

    @Test
    void lagRowsGoWithTheGroupOrItsCommittedOffset() throws IOException {
        start();
        lag.refreshRemoteEnds();
        assertEquals(Map.of(row(ANSWERED), 40.0), lagRows());

        groups.set(List.of(new CoordinatedGroup(GROUP, 0, Map.of(SILENT, 20L))));
        assertEquals(Map.of(), lagRows(), "an offset deleted (OffsetDelete): its row goes");
        assertEquals(Map.of(row(SILENT), 20.0),
                ScrapeAccess.samples(metrics.port(), "tributary_consumer_group_committed_offset"));

        groups.set(List.of());
        assertEquals(Map.of(), ScrapeAccess.samples(metrics.port(), "tributary_consumer_group_committed_offset"),
                "a group deleted (DeleteGroups): its rows go");
        assertEquals(Map.of(), ScrapeAccess.samples(metrics.port(), "tributary_consumer_group_members"));
    }
}
