package io.tributary.tools.internal;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The values of the describe commands' {@code --output} option, checked the same way everywhere. */
public final class OutputFormat {

    private OutputFormat() {
    }

    /**
     * Whether {@code output} asks for JSON.
     *
     * @throws ParameterException (a usage error of {@code command}) unless it is {@code text} or {@code json}
     */
    public static boolean isJson(String output, CommandLine command) {
        if (!output.equals("text") && !output.equals("json")) {
            throw new ParameterException(command, "--output must be text or json; got '" + output + "'");
        }
        return output.equals("json");
    }
}
