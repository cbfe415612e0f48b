package io.tributary.broker.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** End offsets asked of a leader over real gRPC on loopback, and the channels kept to brokers. */
@Tag("integration")
class GrpcEndOffsetsTest {

    private static final String TOPIC = "orders";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private Server server;
    private final BrokerChannels channels = new BrokerChannels(4 << 20);
    private GrpcEndOffsets endOffsets;

    @AfterEach
    void tearDown() {
        if (endOffsets != null) {
            endOffsets.close();
        }
        channels.close();
        if (server != null) {
            server.shutdownNow();
        }
    }

    private static MetadataImage image(Map<Integer, BrokerImage> brokers, int leader) {
        TopicImage topic = new TopicImage(TOPIC, "id", new TreeMap<>(Map.of(0,
                new PartitionImage(0, List.of(leader), List.of(leader), leader, 0, 0))), Map.of());
        return new MetadataImage(0, new TreeMap<>(Map.of(TOPIC, topic)), Map.of("id", TOPIC),
                new TreeMap<>(brokers), 0, new TreeMap<>());
    }

    @Test
    void theChannelToABrokerThatLeftTheImageIsClosed() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new FetchServiceGrpc.FetchServiceImplBase() {
                    @Override
                    public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> answer) {
                        ListOffsetsPartition p = request.getPartitions(0);
                        answer.onNext(ListOffsetsResponse.newBuilder().addPartitions(ListOffsetsPartitionResponse
                                .newBuilder().setTopic(p.getTopic()).setPartition(p.getPartition()).setOffset(12)
                                .setErrorCode(ErrorCode.ERROR_CODE_NONE))
                                .build());
                        answer.onCompleted();
                    }
                }).build().start();
        BrokerImage broker1 = new BrokerImage(1, "a", "127.0.0.1", server.getPort(), null, false, false, 0);
        BrokerImage broker2 = new BrokerImage(2, "b", "127.0.0.1", server.getPort(), null, false, false, 0);
        AtomicReference<MetadataImage> image = new AtomicReference<>(image(Map.of(1, broker1, 2, broker2), 1));
        endOffsets = new GrpcEndOffsets(image::get, channels, 30_000);

        assertEquals(Map.of(TP, 12L), endOffsets.highWatermarks(Set.of(TP), 10_000).join());
        assertEquals(Set.of(1), endOffsets.connectedBrokerIds());

        image.set(image(Map.of(2, broker2), 2)); // broker 1 was unregistered; broker 2 leads now
        assertEquals(Map.of(TP, 12L), endOffsets.highWatermarks(Set.of(TP), 10_000).join());
        assertEquals(Set.of(2), endOffsets.connectedBrokerIds(), "the channel to broker 1 is closed");
    }
}
