package io.tributary.broker.server;

import io.tributary.common.errors.InvalidConfigurationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code NAME://host:port} listener. An empty host means every interface. */
public record Listener(String name, String host, int port) {

    private static final Pattern FORMAT = Pattern.compile("^([A-Za-z][A-Za-z0-9_]*)://(\\[[^\\]]*\\]|[^:/]*):(\\d{1,5})$");

    /**
     * Parses one listener.
     *
     * @param key the configuration key it came from, named in the error
     * @throws InvalidConfigurationException when the text is not NAME://host:port with a port up to 65535
     */
    public static Listener parse(String key, String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidConfigurationException("configuration key '" + key + "' has '" + text
                    + "'; expected NAME://host:port, e.g. PLAINTEXT://localhost:9092");
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new InvalidConfigurationException("configuration key '" + key + "' has port " + port
                    + " in '" + text + "'; ports go up to 65535");
        }
        return new Listener(m.group(1), m.group(2), port);
    }

    /** The host to advertise: an unbound (empty) host is advertised as localhost. */
    public String advertisedHost() {
        return host.isEmpty() ? "localhost" : host;
    }
}
