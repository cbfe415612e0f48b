package io.tributary.broker.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.config.ConfigDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Keeps the README's configuration reference true: every node key is documented there. */
@Tag("unit")
class ReadmeConfigTest {

    @Test
    void everyBrokerKeyIsInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ConfigDef.ConfigKey key : BrokerConfig.CONFIG_DEF.keys()) {
            assertTrue(readme.contains("| `" + key.name() + "` |"), "README.md does not document " + key.name());
        }
    }
}
