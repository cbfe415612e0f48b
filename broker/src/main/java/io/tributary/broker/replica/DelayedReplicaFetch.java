package io.tributary.broker.replica;

import io.tributary.broker.partition.DelayedOperation;

/** A follower's fetch waiting until its leader has records or news for it, or max_wait_ms passes. */
final class DelayedReplicaFetch extends DelayedOperation {

    private final LeaderSession session;

    DelayedReplicaFetch(LeaderSession session) {
        this.session = session;
    }

    @Override
    protected boolean isSatisfied() {
        return session.hasNews();
    }

    @Override
    protected void onComplete(boolean expired) {
        session.answer();
    }
}
