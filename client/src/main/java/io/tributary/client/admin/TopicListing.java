package io.tributary.client.admin;

import java.util.Objects;
import java.util.UUID;

/**
 * A topic as {@link Admin#listTopics} lists it. Immutable.
 *
 * @param name     the topic name
 * @param topicId  the topic's unique id (survives nothing but the topic itself)
 * @param internal whether it is an internal topic (name starts with "__")
 */
public record TopicListing(String name, UUID topicId, boolean internal) {

    public TopicListing {
        Objects.requireNonNull(name, "name");
    }

    /** Kafka's name for {@link #internal()}. */
    public boolean isInternal() {
        return internal;
    }
}
