package io.tributary.tools;

import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.serialization.ByteArrayDeserializer;
import io.tributary.common.errors.TimeoutException;
import io.tributary.tools.internal.ClientProperties;
import io.tributary.tools.internal.CommandException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A subcommand that talks to a cluster. Output goes through picocli's writers (so tests and the
 * shell see the same text); a client timeout becomes one clear message naming the address and the
 * limit.
 */
abstract class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Override
    public final Integer call() throws Exception {
        if (connection.commandTimeoutMs <= 0) {
            throw usageError("--command-timeout-ms must be positive, got " + connection.commandTimeoutMs);
        }
        try {
            return execute();
        } catch (TimeoutException e) {
            throw new CommandException("no answer from " + connection.effectiveBootstrap() + " within "
                    + connection.commandTimeoutMs
                    + " ms (is a node running there? --command-timeout-ms sets the limit): " + e.getMessage(), e);
        }
    }

    /** Runs the command; returns the exit code. */
    abstract int execute() throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A mistake in the command line: picocli prints it with the usage and exits with 2. */
    ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The properties file an option names, as a usage error when it cannot be read. */
    Map<String, Object> loadProperties(Path file, String option) {
        try {
            return ClientProperties.load(file);
        } catch (IllegalArgumentException e) {
            throw usageError(option + ": " + e.getMessage());
        }
    }

    /**
     * Waits for {@code future}; a failure is rethrown as itself (a {@link TimeoutException} then gets
     * the command's timeout message), not wrapped in an {@link ExecutionException}.
     */
    static <T> T await(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                cause.addSuppressed(e);
                throw cause;
            }
            throw new CommandException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    /** A consumer of raw bytes with {@code config}. */
    static TributaryConsumer<byte[], byte[]> byteConsumer(Map<String, Object> config) {
        return new TributaryConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
