package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Topic configuration under Kafka's names, defaults and ranges; node-level log manager configuration. */
@Tag("unit")
class LogConfigTest {

    @Test
    void defaultsMatchKafka() {
        LogConfig c = LogConfig.defaults();
        assertEquals(1_073_741_824, c.segmentBytes());
        assertEquals(604_800_000L, c.segmentMs());
        assertEquals(10_485_760, c.segmentIndexBytes());
        assertEquals(4_096, c.indexIntervalBytes());
        assertEquals(604_800_000L, c.retentionMs());
        assertEquals(-1L, c.retentionBytes());
        assertEquals(60_000L, c.fileDeleteDelayMs());
        assertEquals(Long.MAX_VALUE, c.flushMessages());
        assertEquals(Long.MAX_VALUE, c.flushMs());
        assertEquals(1_048_588, c.maxMessageBytes());
        assertEquals("CreateTime", c.messageTimestampType());
        assertEquals(Long.MAX_VALUE, c.messageTimestampBeforeMaxMs());
        assertEquals(3_600_000L, c.messageTimestampAfterMaxMs());
        assertEquals(List.of("delete"), c.cleanupPolicy());
        assertEquals(1, c.minInsyncReplicas());
        assertFalse(c.uncleanLeaderElectionEnable());
        assertEquals(86_400_000L, c.deleteRetentionMs());
        assertEquals(0.5, c.minCleanableDirtyRatio());
        assertFalse(c.compacted());
    }

    @Test
    void propertiesRoundTripAndOverridesApply() {
        LogConfig c = LogConfig.fromProperties(Map.of("cleanup.policy", "compact,delete", "retention.ms", "-1",
                "message.timestamp.type", "LogAppendTime", "min.cleanable.dirty.ratio", "0.25"));
        assertTrue(c.compacted());
        assertTrue(c.deleteRetention());
        assertEquals(c, LogConfig.fromProperties(c.toProperties()));
        assertEquals(100, c.withOverrides(Map.of("segment.bytes", "100")).segmentBytes());
        assertEquals("LogAppendTime", c.withOverrides(Map.of("segment.bytes", "100")).messageTimestampType());
    }

    @Test
    void badInputNamesTheKey() {
        assertNamesKey("segment.bytes", Map.of("segment.bytes", "13"));
        assertNamesKey("retention.ms", Map.of("retention.ms", "-2"));
        assertNamesKey("cleanup.policy", Map.of("cleanup.policy", "shred"));
        assertNamesKey("cleanup.policy", Map.of("cleanup.policy", ""));
        assertNamesKey("message.timestamp.type", Map.of("message.timestamp.type", "WallClock"));
        assertNamesKey("min.insync.replicas", Map.of("min.insync.replicas", "0"));
        assertNamesKey("min.cleanable.dirty.ratio", Map.of("min.cleanable.dirty.ratio", "1.5"));
        assertNamesKey("flush.messages", Map.of("flush.messages", "many"));
        assertNamesKey("retention.hours", Map.of("retention.hours", "1"));
        InvalidConfigurationException direct = assertThrows(InvalidConfigurationException.class,
                () -> new LogConfig(10, 1, 4, 0, -1, -1, 0, 1, 0, 0, "CreateTime", 0, 0, List.of("delete"), 1, false,
                        0, 0.5));
        assertTrue(direct.getMessage().contains("'segment.bytes'"), direct.getMessage());
    }

    private static void assertNamesKey(String key, Map<String, String> props) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> LogConfig.fromProperties(props));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    @Test
    void logManagerConfigRequiresIdentitiesAndValidatesIntervals() {
        LogManagerConfig c = LogManagerConfig.defaults("cluster", 1);
        assertEquals(1, c.recoveryThreadsPerDataDir());
        assertEquals(300_000L, c.retentionCheckIntervalMs());
        assertEquals(60_000L, c.checkpointIntervalMs());
        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class,
                () -> LogManagerConfig.fromProperties(Map.of("cluster.id", "c")));
        assertTrue(missing.getMessage().contains("'node.id'"), missing.getMessage());
        InvalidConfigurationException zero = assertThrows(InvalidConfigurationException.class,
                () -> new LogManagerConfig("c", 1, 0, 1, 1, 1));
        assertTrue(zero.getMessage().contains("num.recovery.threads.per.data.dir"), zero.getMessage());
    }
}
