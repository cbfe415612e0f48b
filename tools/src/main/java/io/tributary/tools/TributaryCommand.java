package io.tributary.tools;

import io.tributary.common.errors.TributaryException;
import io.tributary.tools.internal.CommandException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code tributary}: the one command of Tributary, with a subcommand per tool (as Kafka's
 * {@code kafka-*.sh} family). Exit codes: 0 on success, 1 when the command failed (an
 * {@code Error: ...} line on stderr says why), 2 for a mistake in the command line (the message and
 * the usage on stderr).
 */
@Command(name = "tributary", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = TributaryCommand.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs a Tributary node and talks to Tributary clusters.",
        subcommands = {CommandLine.HelpCommand.class, ServerCommand.class, StorageCommand.class, TopicsCommand.class,
            ConsoleProducerCommand.class, ConsoleConsumerCommand.class, GetOffsetsCommand.class,
            ProducerPerfCommand.class, ConsumerPerfCommand.class, EndToEndLatencyCommand.class,
            LeaderElectionCommand.class, ConsumerGroupsCommand.class, ConfigsCommand.class, DumpLogCommand.class,
            ClusterCommand.class, MetadataQuorumCommand.class, DeleteRecordsCommand.class})
public final class TributaryCommand {

    /**
     * The command's logging configuration (client logs at WARN, all on stderr). The broker jar brings
     * its own {@code logback.xml}; naming ours explicitly avoids the clash, and Logback's status dump
     * on stdout that a duplicate would cause.
     */
    static final String LOGBACK_CONFIG = "tributary-tools-logback.xml";

    private final InputStream stdin;

    /** @param stdin what {@code console-producer} reads */
    public TributaryCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    InputStream stdin() {
        return stdin;
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        System.exit(commandLine(System.in).execute(args));
    }

    /** The command line with Tributary's error handling; set its writers with {@code setOut}/{@code setErr}. */
    public static CommandLine commandLine(InputStream stdin) {
        CommandLine commandLine = new CommandLine(new TributaryCommand(stdin));
        commandLine.setParameterExceptionHandler(TributaryCommand::handleUsageError);
        commandLine.setExecutionExceptionHandler(TributaryCommand::handleFailure);
        return commandLine;
    }

    private static int handleUsageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String message = e.getMessage();
        command.getErr().println(message.startsWith("Error: ") ? message : "Error: " + message);
        UnmatchedArgumentException.printSuggestions(e, command.getErr());
        command.getErr().println();
        command.usage(command.getErr());
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int handleFailure(Exception e, CommandLine command, ParseResult parseResult) {
        Throwable cause = unwrap(e);
        Logger log = LoggerFactory.getLogger(TributaryCommand.class);
        log.debug("{} failed", command.getCommandName(), cause);
        command.getErr().println("Error: " + describe(cause));
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The message alone for errors meant for users; the type too for anything unexpected. */
    static String describe(Throwable e) {
        boolean forUsers = e instanceof CommandException || e instanceof TributaryException
                || e instanceof IllegalArgumentException || e instanceof UncheckedIOException;
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return forUsers ? message : e.getClass().getSimpleName() + ": " + message;
    }

    /** The version from the build ({@code version.properties}, filtered by Maven). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = TributaryCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"tributary " + properties.getProperty("version", "(unknown version)")};
        }
    }
}
