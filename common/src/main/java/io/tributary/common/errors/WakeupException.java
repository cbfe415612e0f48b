package io.tributary.common.errors;

/** A blocking consumer call was interrupted by {@code wakeup()} from another thread. */
public class WakeupException extends TributaryException {

    public WakeupException() {
        super("the consumer was woken up by wakeup()");
    }
}
