package io.tributary.broker.group;

import io.tributary.broker.group.assignor.AssignorRegistry;
import io.tributary.broker.group.assignor.PartitionAssignor;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.common.errors.UnsupportedAssignorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The assignors members of this coordinator may choose ({@code group.consumer.assignors}): built-in
 * ones by name, custom ones by the name of a class implementing {@link PartitionAssignor} with a
 * public no-argument constructor. The first listed is the default.
 */
final class GroupAssignors {

    private final AssignorRegistry registry;
    private final Set<String> allowed;
    private final String defaultName;

    private GroupAssignors(AssignorRegistry registry, Set<String> allowed, String defaultName) {
        this.registry = registry;
        this.allowed = allowed;
        this.defaultName = defaultName;
    }

    /** @throws InvalidConfigurationException naming an entry that is neither built in nor a usable class */
    static GroupAssignors from(List<String> entries) {
        AssignorRegistry registry = AssignorRegistry.builtIn();
        List<String> names = new ArrayList<>();
        for (String entry : entries) {
            if (isBuiltIn(registry, entry)) {
                names.add(entry);
                continue;
            }
            PartitionAssignor custom = instantiate(entry);
            registry = registry.with(custom);
            names.add(custom.name());
        }
        return new GroupAssignors(registry, new TreeSet<>(names), names.get(0));
    }

    String defaultName() {
        return defaultName;
    }

    /** @throws UnsupportedAssignorException when {@code name} is not one of the configured assignors */
    PartitionAssignor get(String name) {
        if (!allowed.contains(name)) {
            throw new UnsupportedAssignorException("assignor '" + name + "' is not available; this coordinator "
                    + "offers " + allowed + " (" + GroupCoordinatorConfig.ASSIGNORS + ")");
        }
        return registry.get(name);
    }

    boolean offers(String name) {
        return allowed.contains(name);
    }

    private static boolean isBuiltIn(AssignorRegistry registry, String name) {
        try {
            registry.get(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static PartitionAssignor instantiate(String className) {
        try {
            Object instance = Class.forName(className).getDeclaredConstructor().newInstance();
            if (instance instanceof PartitionAssignor assignor) {
                return assignor;
            }
            throw new InvalidConfigurationException(GroupCoordinatorConfig.ASSIGNORS + ": " + className
                    + " does not implement " + PartitionAssignor.class.getName());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new InvalidConfigurationException(GroupCoordinatorConfig.ASSIGNORS + ": '" + className
                    + "' is neither a built-in assignor (range, roundrobin, sticky) nor a loadable class: " + e);
        }
    }
}
