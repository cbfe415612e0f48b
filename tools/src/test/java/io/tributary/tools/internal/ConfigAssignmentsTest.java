package io.tributary.tools.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** kafka-configs.sh's --add-config syntax. */
@Tag("unit")
class ConfigAssignmentsTest {

    @Test
    void bracketsHoldListValuesAndCommasSeparateAssignments() {
        assertEquals(Map.of("retention.ms", "1000", "cleanup.policy", "delete,compact", "segment.bytes", "4096"),
                ConfigAssignments.parse("retention.ms=1000,cleanup.policy=[delete,compact], segment.bytes=4096"));
        assertEquals(List.of("retention.ms", "cleanup.policy"), List.copyOf(ConfigAssignments
                .parse("retention.ms=1,cleanup.policy=[compact]").keySet()), "in the given order");
        assertEquals(Map.of("k", ""), ConfigAssignments.parse("k="));
    }

    @Test
    void mistakesNameTheEntry() {
        assertMessage("retention.ms", "retention.ms");
        assertMessage("=5", "'=5' is not KEY=VALUE");
        assertMessage("a=1,a=2", "'a' is given more than once");
        assertMessage("cleanup.policy=[delete", "without its ']'");
        assertMessage("cleanup.policy=delete]", "without its '['");
    }

    private static void assertMessage(String text, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigAssignments.parse(text));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void deleteKeysAreTrimmedWithoutBlanks() {
        assertEquals(List.of("a", "b"), ConfigAssignments.keys(" a, ,b,"));
    }
}
