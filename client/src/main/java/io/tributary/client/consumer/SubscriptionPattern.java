package io.tributary.client.consumer;

import java.util.Objects;

/**
 * A regular expression over topic names that the group coordinator evaluates, as Kafka's
 * {@code SubscriptionPattern}: the consumer sends the text as it is (Java syntax, matched against
 * whole topic names), so a pattern the coordinator cannot compile surfaces from {@code poll()} as
 * {@link io.tributary.common.errors.InvalidRegularExpressionException}.
 */
public record SubscriptionPattern(String pattern) {

    public SubscriptionPattern {
        Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public String toString() {
        return pattern;
    }
}
