package io.tributary.client.producer.internal;

import io.tributary.client.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs exceptions thrown by user callbacks, which must not stop the producer's network thread. */
final class CallbackErrors {

    private static final Logger log = LoggerFactory.getLogger(CallbackErrors.class);

    private CallbackErrors() {
    }

    static void log(RecordMetadata metadata, RuntimeException error) {
        log.error("A send callback for {} threw; the producer continues", metadata, error);
    }
}
