package io.tributary.broker.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tributary.broker.request.ProduceHandler;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceResponse;
import io.tributary.proto.v1.ProduceServiceGrpc;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** gRPC adapter for {@link ProduceHandler}: unary Produce and the bidirectional ProduceStream. */
public final class ProduceGrpcService extends ProduceServiceGrpc.ProduceServiceImplBase {

    private final ProduceHandler handler;
    private final GrpcCalls calls;
    private final Set<ProduceStreamCall> openStreams = ConcurrentHashMap.newKeySet();

    public ProduceGrpcService(ProduceHandler handler, GrpcCalls calls) {
        this.handler = handler;
        this.calls = calls;
    }

    @Override
    public void produce(ProduceRequest request, StreamObserver<ProduceResponse> observer) {
        calls.async(observer, () -> handler.produce(request));
    }

    @Override
    public StreamObserver<ProduceRequest> produceStream(StreamObserver<ProduceResponse> responses) {
        ProduceStreamCall call = new ProduceStreamCall((ServerCallStreamObserver<ProduceResponse>) responses, handler,
                calls, openStreams::remove);
        openStreams.add(call);
        return call;
    }

    /**
     * Ends every open ProduceStream with UNAVAILABLE, so shutdown does not wait for clients that keep
     * their streams open. Call after the requests in flight were answered.
     */
    public void closeStreams() {
        for (ProduceStreamCall call : List.copyOf(openStreams)) {
            call.shutDown();
        }
    }
}
