package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary storage format | random-uuid}. */
@Tag("unit")
class StorageCommandTest {

    @TempDir
    Path dir;

    private Path config(int nodeId) throws Exception {
        return Files.writeString(dir.resolve("node-" + nodeId + ".properties"), "node.id=" + nodeId + "\nlog.dirs="
                + dir.resolve("logs-a") + "," + dir.resolve("logs-b") + "\nmetadata.log.dir=" + dir.resolve("meta") + "\n");
    }

    @Test
    void formatWritesTheClusterIdIntoEveryDirectoryAndIsRepeatable() throws Exception {
        String clusterId = Cli.run("storage", "random-uuid").out().strip();
        assertEquals(22, clusterId.length(), clusterId);

        Cli.Result formatted = Cli.run("storage", "format", "--config", config(1).toString(), "--cluster-id", clusterId);

        assertEquals(0, formatted.exitCode(), formatted.toString());
        for (String sub : new String[] {"logs-a", "logs-b", "meta"}) {
            String meta = Files.readString(dir.resolve(sub).resolve("meta.properties"));
            assertTrue(meta.contains("cluster.id=" + clusterId) && meta.contains("node.id=1"), meta);
        }
        assertEquals(0, Cli.run("storage", "format", "-c", config(1).toString(), "-t", clusterId).exitCode());
    }

    @Test
    void storageOfAnotherClusterOrNodeIsRefused() throws Exception {
        assertEquals(0, Cli.run("storage", "format", "-c", config(1).toString(), "-t", "first-cluster").exitCode());

        Cli.Result otherCluster = Cli.run("storage", "format", "-c", config(1).toString(), "-t", "second-cluster");
        Cli.Result otherNode = Cli.run("storage", "format", "-c", config(2).toString(), "-t", "first-cluster");

        assertEquals(1, otherCluster.exitCode(), otherCluster.toString());
        assertTrue(otherCluster.err().startsWith("Error: ") && otherCluster.err().contains("first-cluster"),
                otherCluster.err());
        assertEquals(1, otherNode.exitCode(), otherNode.toString());
        assertTrue(otherNode.err().contains("node 1"), otherNode.err());
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        Cli.Result noId = Cli.run("storage", "format", "--config", config(1).toString());
        Cli.Result missingFile = Cli.run("storage", "format", "-c", dir.resolve("nope.properties").toString(), "-t", "x");
        Cli.Result badConfig = Cli.run("storage", "format", "-c",
                Files.writeString(dir.resolve("bad.properties"), "node.id=-3\n").toString(), "-t", "x");

        assertEquals(2, noId.exitCode(), noId.toString());
        assertTrue(noId.err().contains("--cluster-id"), noId.err());
        assertEquals(1, missingFile.exitCode(), missingFile.toString());
        assertTrue(missingFile.err().contains("nope.properties does not exist"), missingFile.err());
        assertEquals(1, badConfig.exitCode(), badConfig.toString());
        assertTrue(badConfig.err().contains("node.id"), badConfig.err());
    }

    @Test
    void rejoinMarksALostControllerAsCatchingUpAndIsRefusedWhereItMakesNoSense() throws Exception {
        Cli.Result rejoined = Cli.run("storage", "format", "-c", config(1).toString(), "-t", "c1", "--rejoin");

        assertEquals(0, rejoined.exitCode(), rejoined.toString());
        assertTrue(Files.readString(dir.resolve("meta").resolve("quorum-state")).contains("catchingUp=true"));
        Files.createDirectories(dir.resolve("meta").resolve("__cluster_metadata-0"));
        Cli.Result again = Cli.run("storage", "format", "-c", config(1).toString(), "-t", "c1", "--rejoin");
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.err().contains("still holds metadata"), again.err());

        Path broker = Files.writeString(dir.resolve("broker.properties"), "node.id=5\nprocess.roles=broker\n"
                + "controller.quorum.voters=1@localhost:9093\nlog.dirs=" + dir.resolve("b") + "\n");
        Cli.Result notController = Cli.run("storage", "format", "-c", broker.toString(), "-t", "c1", "--rejoin");
        assertEquals(1, notController.exitCode(), notController.toString());
        assertTrue(notController.err().contains("is not a controller"), notController.err());
    }
}
