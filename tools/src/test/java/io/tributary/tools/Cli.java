package io.tributary.tools;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;

/** Runs the tributary command in this JVM, with given standard input and captured output. */
final class Cli {

    /** What a run printed and returned. */
    record Result(int exitCode, String out, String err) {

        /** Fails with the captured output unless the command succeeded. */
        Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("exit code " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Cli() {
    }

    /** Every subcommand of {@code tributary} at any depth ({@code help} aside), by its full name ("storage format"). */
    static Map<String, CommandLine> commands() {
        return commands(TributaryCommand.commandLine(InputStream.nullInputStream()), "");
    }

    private static Map<String, CommandLine> commands(CommandLine parent, String prefix) {
        Map<String, CommandLine> found = new TreeMap<>();
        parent.getSubcommands().forEach((name, command) -> {
            if (!name.equals("help")) {
                found.put(prefix + name, command);
                found.putAll(commands(command, prefix + name + " "));
            }
        });
        return found;
    }

    static Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs {@code subcommand --bootstrap-server bootstrap options...}. */
    static Result runAgainst(String bootstrap, String subcommand, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = subcommand;
        args[1] = "--bootstrap-server";
        args[2] = bootstrap;
        System.arraycopy(options, 0, args, 3, options.length);
        return run(args);
    }

    static Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = TributaryCommand.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
