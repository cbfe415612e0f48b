package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code k8s/validate.sh}: renders the kustomize base and overlays with kubectl and checks them
 * offline (schemas, the cluster the entrypoint derives for each pod, rolling-restart.sh against a
 * fake kubectl). It needs kubectl, node and npm (the validator's pinned packages come from
 * {@code npm ci}); without them it fails rather than skips, so CI cannot pass unvalidated manifests.
 */
@Tag("system")
class KubernetesManifestsSystemTest {

    private static final long TIMEOUT_S = 300;

    @TempDir
    Path dir;

    private record Run(int exitCode, String output) {
    }

    private static Path k8s() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isExecutable(at.resolve("k8s/validate.sh"))) {
                return at.resolve("k8s");
            }
        }
        throw new AssertionError("k8s/validate.sh not found above " + Path.of("").toAbsolutePath());
    }

    private Run validate(String... dirs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", k8s().resolve("validate.sh").toString()));
        command.addAll(List.of(dirs));
        Path output = Files.createTempFile(dir, "validate", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("k8s/validate.sh still running after " + TIMEOUT_S + " s:\n"
                    + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output));
    }

    @Test
    void baseAndOverlaysAreValid() throws Exception {
        Run run = validate();

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("cluster OK: 6 pods, nodes 0,1,2,100,101,102, voters 100,101,102"), run.output());
        assertTrue(run.output().contains("cluster OK: 1 pods, nodes 0, voters 0"), run.output());
        assertTrue(run.output().contains("rolling-restart-test: OK"), run.output());
    }

    @Test
    void aBrokenManifestFails() throws Exception {
        Path base = dir.resolve("base");
        Files.createDirectories(base);
        try (Stream<Path> files = Files.list(k8s().resolve("base"))) {
            for (Path file : files.toList()) {
                Files.copy(file, base.resolve(file.getFileName()));
            }
        }
        Path controller = base.resolve("controller.yaml");
        String text = Files.readString(controller);
        assertTrue(text.contains("\n  replicas: 3\n"));
        Files.writeString(controller, text.replace("\n  replicas: 3\n", "\n  replicas: \"three\"\n"));

        Run run = validate(base.toString());

        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("StatefulSet/tributary-controller INVALID data/spec/replicas must be integer"),
                run.output());
    }
}
