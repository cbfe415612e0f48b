package io.tributary.broker.server;

import io.tributary.common.Time;
import io.tributary.storage.LogManager;

/** Builds the {@link LogManager} from the node's configuration. */
final class LogManagerFactory {

    private LogManagerFactory() {
    }

    static LogManager create(BrokerConfig config, Time time) {
        throw new IllegalStateException("wired once the storage engine lands");
    }
}
