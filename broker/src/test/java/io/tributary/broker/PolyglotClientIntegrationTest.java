package io.tributary.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the API is usable from another language with nothing but the published .proto files: a
 * Python client (Debian's python3-grpcio and protoc, which .ci/run installs) creates a topic,
 * produces, long-polls and looks up offsets against a real node.
 */
@Tag("integration")
class PolyglotClientIntegrationTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path workDir;

    @Test
    void aPythonClientBuiltFromTheProtoFilesProducesAndFetches() throws Exception {
        assumeTrue(pythonGrpcAvailable(), "needs /usr/bin/python3 with grpcio and protoc: apt-get install "
                + "python3-grpcio python3-protobuf protobuf-compiler (.ci/run does)");
        Path protoDir = Path.of("..", "proto", "src", "main", "proto").toAbsolutePath().normalize();
        Path script = Path.of("src", "test", "python", "polyglot_client.py").toAbsolutePath();
        try (TestNode node = new TestNode(workDir.resolve("data"))) {
            Path output = workDir.resolve("python.out");
            Process python = new ProcessBuilder(PYTHON.toString(), script.toString(), "127.0.0.1:" + node.port(),
                    protoDir.toString(), Files.createDirectories(workDir.resolve("gen")).toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertTrue(python.waitFor(120, TimeUnit.SECONDS), "the python client did not finish");
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, python.exitValue(), printed);
            assertTrue(printed.contains("polyglot ok"), printed);
        }
    }

    private static boolean pythonGrpcAvailable() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder(List.of("sh", "-c",
                    PYTHON + " -c 'import grpc, google.protobuf' && command -v protoc")).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
