package io.tributary.client;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Function;

/** How scripted fake servers answer a unary call: record the request, then send what the script returns. */
public final class ScriptedAnswers {

    private ScriptedAnswers() {
    }

    /**
     * Adds {@code request} to {@code log} and answers with {@code script}'s result: a response
     * message, or a {@link Status} to fail the call with.
     */
    @SuppressWarnings("unchecked")
    public static <Q, R> void answer(Q request, List<Q> log, Function<Q, Object> script, StreamObserver<R> observer) {
        log.add(request);
        Object answer = script.apply(request);
        if (answer instanceof Status status) {
            observer.onError(status.asRuntimeException());
        } else {
            observer.onNext((R) answer);
            observer.onCompleted();
        }
    }
}
