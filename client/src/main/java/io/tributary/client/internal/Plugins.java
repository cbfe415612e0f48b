package io.tributary.client.internal;

import io.tributary.common.errors.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Instantiates the classes named in configuration (serializers, partitioners, interceptors). */
public final class Plugins {

    private Plugins() {
    }

    /**
     * A new instance of the class named by {@code className}, which must implement {@code type} and
     * have a public no-argument constructor.
     *
     * @throws InvalidConfigurationException naming {@code key} when it does not
     */
    public static <T> T newInstance(String key, String className, Class<T> type) {
        Class<?> loaded;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            loaded = Class.forName(className, true, loader != null ? loader : Plugins.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new InvalidConfigurationException("invalid value '" + className + "' for configuration key '" + key
                    + "': class not found");
        }
        if (!type.isAssignableFrom(loaded)) {
            throw new InvalidConfigurationException("invalid value '" + className + "' for configuration key '" + key
                    + "': " + loaded.getName() + " does not implement " + type.getName());
        }
        try {
            return type.cast(loaded.getConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new InvalidConfigurationException("invalid value '" + className + "' for configuration key '" + key
                    + "': cannot create an instance (" + e + ")");
        }
    }

    /** Instances of every class in {@code classNames}, in order. */
    public static <T> List<T> newInstances(String key, List<String> classNames, Class<T> type) {
        List<T> instances = new ArrayList<>();
        for (String className : classNames) {
            instances.add(newInstance(key, className, type));
        }
        return instances;
    }

    /** The instance given directly, else one created from the class named under {@code key}. */
    public static <T> T givenOrConfigured(T given, Map<String, ?> configs, String key, Class<T> type) {
        if (given != null) {
            return given;
        }
        Object named = configs.get(key);
        if (named == null) {
            throw new InvalidConfigurationException("missing required configuration key '" + key
                    + "' (or pass an instance to the constructor)");
        }
        String className = named instanceof Class<?> c ? c.getName() : named.toString();
        return newInstance(key, className, type);
    }
}
