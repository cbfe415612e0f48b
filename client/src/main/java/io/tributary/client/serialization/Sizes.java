package io.tributary.client.serialization;

import io.tributary.common.errors.SerializationException;

/** The size check the fixed-width deserializers share. */
final class Sizes {

    private Sizes() {
    }

    static void require(String topic, byte[] data, int expectedBytes, String typeName) {
        if (data.length != expectedBytes) {
            throw new SerializationException("a record of topic " + topic + " has " + data.length
                    + " bytes where a " + typeName + " needs exactly " + expectedBytes);
        }
    }
}
