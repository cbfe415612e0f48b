package io.tributary.tools.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.MockTime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ThroughputThrottlerTest {

    private final MockTime time = new MockTime(0);

    @Test
    void throttlesOnlyAboveTheTargetRate() {
        ThroughputThrottler throttler = new ThroughputThrottler(100, 0, time);

        assertFalse(throttler.shouldThrottle(1_000, 0), "no time has passed: no rate to judge");
        assertFalse(throttler.shouldThrottle(100, 1_000));
        assertTrue(throttler.shouldThrottle(101, 1_000));
        assertFalse(throttler.shouldThrottle(150, 2_000));
    }

    @Test
    void aNegativeTargetNeverThrottles() {
        ThroughputThrottler throttler = new ThroughputThrottler(-1, 0, time);

        assertFalse(throttler.shouldThrottle(Long.MAX_VALUE, 1));
    }

    @Test
    void aZeroTargetIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ThroughputThrottler(0, 0, time));
    }
}
