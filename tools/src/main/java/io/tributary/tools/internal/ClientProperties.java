package io.tributary.tools.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Client properties from a file ({@code --producer.config}, {@code --consumer.config}). */
public final class ClientProperties {

    private ClientProperties() {
    }

    /**
     * The properties in {@code file}; an empty map when {@code file} is null.
     *
     * @throws IllegalArgumentException naming the file when it is missing or unreadable
     */
    public static Map<String, Object> load(Path file) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (file == null) {
            return result;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the properties file " + file + " does not exist", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the properties file " + file + ": " + e.getMessage(), e);
        }
        properties.stringPropertyNames().forEach(key -> result.put(key, properties.getProperty(key)));
        return result;
    }
}
