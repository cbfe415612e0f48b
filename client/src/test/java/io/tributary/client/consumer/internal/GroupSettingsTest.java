package io.tributary.client.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.internal.ClientConfigs;
import io.tributary.common.errors.InvalidConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The group configuration keys: Kafka's defaults, and the combinations refused with the keys named. */
@Tag("unit")
class GroupSettingsTest {

    private static GroupSettings parse(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", "localhost:9092"));
        config.putAll(extra);
        return GroupSettings.from(ClientConfigs.parse(ConsumerConfig.CONFIG_DEF, config, "consumer"));
    }

    private static void assertRefused(Map<String, Object> extra, String... named) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse(extra));
        for (String key : named) {
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Test
    void kafkasDefaults() {
        GroupSettings grouped = parse(Map.of("group.id", "g"));
        assertEquals(Optional.of("g"), grouped.groupId());
        assertEquals(Optional.empty(), grouped.instanceId());
        assertTrue(grouped.autoCommit(), "enable.auto.commit defaults to true with group.id");
        assertEquals(5_000, grouped.autoCommitIntervalMs());
        assertEquals(45_000, grouped.sessionTimeoutMs());
        assertEquals(3_000, grouped.heartbeatIntervalMs());
        assertEquals(300_000, grouped.maxPollIntervalMs());
        assertEquals("", grouped.assignor(), "unset: the group's assignor");

        GroupSettings alone = parse(Map.of());
        assertEquals(Optional.empty(), alone.groupId());
        assertFalse(alone.autoCommit(), "no group, nothing to commit to");
        assertFalse(parse(Map.of("group.id", "g", "enable.auto.commit", "false")).autoCommit());
        assertEquals("range", parse(Map.of("group.id", "g", "group.remote.assignor", "range")).assignor());
        assertEquals(Optional.of("i-1"), parse(Map.of("group.id", "g", "group.instance.id", "i-1")).instanceId());
    }

    @Test
    void refusedCombinationsNameTheirKeys() {
        assertRefused(Map.of("group.id", " "), "group.id");
        assertRefused(Map.of("group.id", "g".repeat(256)), "group.id");
        assertRefused(Map.of("group.id", "g", "group.instance.id", ""), "group.instance.id");
        assertRefused(Map.of("group.instance.id", "i-1"), "group.instance.id", "group.id");
        assertRefused(Map.of("enable.auto.commit", "true"), "enable.auto.commit", "group.id");
        assertRefused(Map.of("group.id", "g", "session.timeout.ms", "1000", "heartbeat.interval.ms", "1000"),
                "heartbeat.interval.ms", "session.timeout.ms");
        assertRefused(Map.of("group.id", "g", "group.remote.assignor", " "), "group.remote.assignor");
        assertRefused(Map.of("group.id", "g", "max.poll.interval.ms", "0"), "max.poll.interval.ms");
        assertRefused(Map.of("group.id", "g", "auto.commit.interval.ms", "-1"), "auto.commit.interval.ms");
        assertRefused(Map.of("group.id", "g", "enable.auto.commit", "yes"), "enable.auto.commit");
    }

    @Test
    void patternFlagsTravelInline() {
        assertEquals("orders.*", RegexFlags.inline(Pattern.compile("orders.*")));
        assertEquals("(?ix)orders .*", RegexFlags.inline(Pattern.compile("orders .*",
                Pattern.CASE_INSENSITIVE | Pattern.COMMENTS)));
        assertTrue(Pattern.compile(RegexFlags.inline(Pattern.compile("ORDERS", Pattern.CASE_INSENSITIVE)))
                .matcher("orders").matches());
        IllegalArgumentException literal = assertThrows(IllegalArgumentException.class,
                () -> RegexFlags.inline(Pattern.compile("a.b", Pattern.LITERAL)));
        assertTrue(literal.getMessage().contains("LITERAL"), literal.getMessage());
    }
}
