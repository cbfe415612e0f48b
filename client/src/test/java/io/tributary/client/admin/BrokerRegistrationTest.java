package io.tributary.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.client.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BrokerRegistrationTest {

    @Test
    void fencedWinsOverControlledShutdownWhichWinsOverActive() {
        assertEquals("active", new BrokerRegistration(new Node(1, "h", 1, null), false, 5).state());
        assertEquals("controlled-shutdown", new BrokerRegistration(new Node(1, "h", 1, null), true, 5).state());
        assertEquals("fenced", new BrokerRegistration(new Node(1, "h", 1, null, true), true, 5).state());
        assertEquals("fenced", new BrokerRegistration(new Node(1, "h", 1, null, true), false, 5).state());
        assertEquals("1@h:1 (rack r) (fenced)", new Node(1, "h", 1, "r", true).toString());
    }
}
