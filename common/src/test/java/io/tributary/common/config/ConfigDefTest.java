package io.tributary.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ConfigDefTest {

    private final ConfigDef def = new ConfigDef()
            .define("segment.bytes", ConfigDef.Type.INT, "1024", ConfigDef.atLeast(14), "segment size")
            .define("retention.ms", ConfigDef.Type.LONG, "-1", "retention")
            .define("cleanup.policy", ConfigDef.Type.LIST, "delete", ConfigDef.oneOf("delete", "compact"), "policy")
            .define("flush.on.commit", ConfigDef.Type.BOOLEAN, "true", "flush")
            .define("node.id", ConfigDef.Type.INT, ConfigDef.NO_DEFAULT, "id");

    @Test
    void parsesTypesAndFillsDefaults() {
        ParsedConfig c = new ParsedConfig(def, Map.of("node.id", " 3 ", "cleanup.policy", "compact, delete"));
        assertEquals(3, c.getInt("node.id"));
        assertEquals(1024, c.getInt("segment.bytes"));
        assertEquals(-1L, c.getLong("retention.ms"));
        assertEquals(List.of("compact", "delete"), c.getList("cleanup.policy"));
        assertTrue(c.getBoolean("flush.on.commit"));
    }

    @Test
    void everyBadInputNamesTheKey() {
        assertMessageNames("bogus.key", Map.of("node.id", "1", "bogus.key", "x"));
        assertMessageNames("segment.bytes", Map.of("node.id", "1", "segment.bytes", "ten"));
        assertMessageNames("segment.bytes", Map.of("node.id", "1", "segment.bytes", "13"));
        assertMessageNames("cleanup.policy", Map.of("node.id", "1", "cleanup.policy", "shred"));
        assertMessageNames("flush.on.commit", Map.of("node.id", "1", "flush.on.commit", "yes"));
        assertMessageNames("node.id", Map.of());
    }

    @Test
    void aBadDefaultFailsAtDeclaration() {
        assertThrows(InvalidConfigurationException.class, () -> new ConfigDef()
                .define("x", ConfigDef.Type.INT, "0", ConfigDef.atLeast(1), "x"));
    }

    private void assertMessageNames(String key, Map<String, String> raw) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> new ParsedConfig(def, raw));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }
}
