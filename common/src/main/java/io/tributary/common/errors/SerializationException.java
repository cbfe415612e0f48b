package io.tributary.common.errors;

/** A key or value could not be serialized or deserialized; the message names the topic and the field. */
public class SerializationException extends TributaryException {

    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
