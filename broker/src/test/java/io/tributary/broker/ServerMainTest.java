package io.tributary.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ServerMainTest {

    @TempDir
    Path dir;

    @Test
    void noConfigFileMeansTheEmbeddedDefault() {
        assertEquals(Map.of(), ServerMain.loadProperties(new String[] {"server"}));
    }

    @Test
    void readsAPropertiesFile() throws IOException {
        Path file = Files.writeString(dir.resolve("node.properties"), "node.id=3\n# a comment\nlog.dirs = /srv/t\n");
        assertEquals(Map.of("node.id", "3", "log.dirs", "/srv/t"),
                ServerMain.loadProperties(new String[] {"server", "--config", file.toString()}));
    }

    @Test
    void badUsageAndMissingFilesSayWhatIsWrong() {
        assertMessage("usage", new String[] {});
        assertMessage("usage", new String[] {"serve"});
        assertMessage("usage", new String[] {"server", "--config"});
        assertMessage("usage", new String[] {"server", "--conf", "x"});
        assertMessage("does not exist", new String[] {"server", "--config", dir.resolve("missing").toString()});
    }

    private static void assertMessage(String fragment, String[] args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerMain.loadProperties(args));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
