package io.tributary.broker.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells an {@link RpcObserver} how every call on a listener ended: its service, method, status code
 * and duration (a stream's whole life). A call the client cancelled ends as CANCELLED.
 */
public final class RpcObserverInterceptor implements ServerInterceptor {

    /** Receives one event per finished call; must be thread-safe and cheap. */
    @FunctionalInterface
    public interface RpcObserver {
        void completed(String service, String method, String statusCode, long durationNanos);
    }

    private final RpcObserver observer;

    public RpcObserverInterceptor(RpcObserver observer) {
        this.observer = observer;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        MethodDescriptor<Q, A> method = call.getMethodDescriptor();
        String service = String.valueOf(method.getServiceName());
        String methodName = String.valueOf(method.getBareMethodName());
        long startNs = System.nanoTime();
        AtomicBoolean reported = new AtomicBoolean();
        Runnable cancelled = () -> report(reported, service, methodName, Status.Code.CANCELLED, startNs);
        ServerCall<Q, A> observed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                report(reported, service, methodName, status.getCode(), startNs);
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(observed, headers)) {
            @Override
            public void onCancel() {
                cancelled.run();
                super.onCancel();
            }
        };
    }

    private void report(AtomicBoolean reported, String service, String method, Status.Code code, long startNs) {
        if (reported.compareAndSet(false, true)) {
            observer.completed(service, method, code.name(), System.nanoTime() - startNs);
        }
    }
}
