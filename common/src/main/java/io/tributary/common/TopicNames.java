package io.tributary.common;

import io.tributary.common.errors.InvalidTopicException;
import java.util.regex.Pattern;

/** Kafka's topic-name rules, shared by servers and clients. */
public final class TopicNames {

    public static final int MAX_LENGTH = 249;
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    private TopicNames() {
    }

    /**
     * Checks a name a client wants to create.
     *
     * @throws InvalidTopicException naming the rule the name breaks
     */
    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTopicException("topic name is empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidTopicException("topic name '" + name + "' is not allowed");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidTopicException("topic name is " + name.length() + " characters long; the maximum is "
                    + MAX_LENGTH);
        }
        if (!LEGAL.matcher(name).matches()) {
            throw new InvalidTopicException("topic name '" + name
                    + "' contains characters other than ASCII letters, digits, '.', '_' and '-'");
        }
    }

    /**
     * Two names collide when they differ only in '.' versus '_', because metric names cannot tell
     * them apart. Kafka refuses to create a topic that collides with an existing one.
     */
    public static String collisionKey(String name) {
        return name.replace('.', '_');
    }
}
