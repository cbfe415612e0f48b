package io.tributary.tools;

import static io.tributary.tools.NodeProcess.awaitServing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.common.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code bin/tributary} script as a process. {@code TRIBUTARY_CLASSPATH} points it at
 * this build's classpath, so it never builds anything itself (which would start Maven inside Maven).
 */
@Tag("system")
class ScriptSystemTest {

    private static final long PROCESS_TIMEOUT_S = 120;

    @TempDir
    Path dir;

    /** What a script run printed and returned. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Path script() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isExecutable(at.resolve("bin/tributary"))) {
                return at.resolve("bin/tributary");
            }
        }
        throw new AssertionError("bin/tributary not found above " + Path.of("").toAbsolutePath());
    }

    private ProcessBuilder builder(String stdin, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(script().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.put("TRIBUTARY_CLASSPATH", System.getProperty("java.class.path"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("TRIBUTARY_JAVA_OPTS", "-Xmx256m");
        Path input = Files.writeString(Files.createTempFile(dir, "stdin", ".txt"), stdin);
        return builder.redirectInput(input.toFile());
    }

    private Run run(String stdin, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = builder(stdin, List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/tributary " + String.join(" ", args) + " still running after "
                    + PROCESS_TIMEOUT_S + " s; stderr:\n" + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void helpAndUsageErrorsThroughTheScript() throws Exception {
        Run help = run("", "--help");
        Run bogus = run("", "topics", "--bogus");

        assertEquals(0, help.exitCode(), help.err());
        assertTrue(help.out().contains("console-producer") && help.out().contains("topics"), help.out());
        assertEquals(2, bogus.exitCode(), bogus.toString());
        assertTrue(bogus.err().startsWith("Error: Unknown option: '--bogus'"), bogus.err());
    }

    @Test
    void topicsAgainstANodeThroughTheScript() throws Exception {
        try (TestNode node = new TestNode(dir.resolve("node"))) {
            node.createTopic("through-the-script", 1, Map.of());

            Run listed = run("", "topics", "--list", "--bootstrap-server", node.bootstrap());

            assertEquals(0, listed.exitCode(), listed.toString());
            assertTrue(listed.out().lines().toList().contains("through-the-script"), listed.out());
            assertEquals("", listed.err(), "client logs stay off a successful command's stderr");
        }
    }

    @Test
    void theQuickStartThroughTheScript() throws Exception {
        int port = FreePorts.freePort();
        Path config = Files.writeString(dir.resolve("node.properties"),
                "listeners=PLAINTEXT://127.0.0.1:" + port + "\nlog.dirs=" + dir.resolve("data") + "\nmetrics.port=0\n");
        Path serverLog = dir.resolve("server.log");
        Process unformatted = builder("", List.of("server", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        assertTrue(unformatted.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, unformatted.exitValue(), "a configured node refuses unformatted storage");
        assertTrue(Files.readString(serverLog).contains("is not formatted; run: tributary storage format"),
                Files.readString(serverLog));
        String clusterId = run("", "storage", "random-uuid").out().strip();
        assertEquals(0, run("", "storage", "format", "--config", config.toString(), "--cluster-id", clusterId)
                .exitCode());
        Process server = builder("", List.of("server", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        try {
            awaitServing(server, port, serverLog);
            String bootstrap = "127.0.0.1:" + port;

            assertEquals("Created topic quick.\n", run("", "topics", "--create", "--topic", "quick", "--partitions", "3",
                    "--bootstrap-server", bootstrap).out());
            assertEquals(0, run("k1:hello\nk2:world\n", "console-producer", "--topic", "quick", "--bootstrap-server",
                    bootstrap, "--property", "parse.key=true", "--property", "key.separator=:").exitCode());
            Run consumed = run("", "console-consumer", "--topic", "quick", "--from-beginning", "--max-messages", "2",
                    "--property", "print.key=true", "--bootstrap-server", bootstrap);

            assertEquals(0, consumed.exitCode(), consumed.toString());
            assertEquals(List.of("k1\thello", "k2\tworld"), consumed.out().lines().sorted().toList());
        } finally {
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the node did not stop within 60 s of SIGTERM");
        }
        assertTrue(Files.readString(serverLog).contains("Tributary node 1 stopped"), Files.readString(serverLog));
    }

    @Test
    void aMissingServerConfigFileStopsStartUpWithExitCode2() throws Exception {
        Run result = run("", "server", "--config", dir.resolve("missing.properties").toString());

        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("missing.properties does not exist"), result.err());
    }
}
