package io.tributary.broker.metadata;

/** A registered node as clients reach it. Immutable. */
public record BrokerImage(int id, String incarnationId, String host, int port, String rack, boolean fenced) {
}
