package io.tributary.broker.group.assignor;

import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The assignors a coordinator can run, by name: the built-in {@code range}, {@code roundrobin} and
 * {@code sticky}, plus any custom {@link PartitionAssignor}s added with {@link #with}. Immutable; adding
 * returns a new registry.
 *
 * <p>The default is {@code sticky}: it is the only built-in that looks at current assignments, and with
 * incremental rebalancing each moved partition costs a revoke, a commit and a restart, so moving only
 * what a change requires matters more than anything else. Kafka's new protocol makes the same choice with
 * its equivalent {@code uniform} assignor.
 */
public final class AssignorRegistry {

    /** The assignor a group gets when it names none. */
    public static final String DEFAULT_ASSIGNOR = StickyAssignor.NAME;

    private final SortedMap<String, PartitionAssignor> byName;

    private AssignorRegistry(SortedMap<String, PartitionAssignor> byName) {
        this.byName = byName;
    }

    /** A registry with the built-in assignors only. */
    public static AssignorRegistry builtIn() {
        return new AssignorRegistry(new TreeMap<>())
                .with(new RangeAssignor())
                .with(new RoundRobinAssignor())
                .with(new StickyAssignor());
    }

    /**
     * This registry plus {@code assignor}.
     *
     * @throws IllegalArgumentException when the assignor's name is null or blank, or already taken
     */
    public AssignorRegistry with(PartitionAssignor assignor) {
        Objects.requireNonNull(assignor, "assignor");
        String name = assignor.name();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("assignor " + assignor.getClass().getName() + " has no name");
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("an assignor named '" + name + "' is already registered");
        }
        SortedMap<String, PartitionAssignor> extended = new TreeMap<>(byName);
        extended.put(name, assignor);
        return new AssignorRegistry(extended);
    }

    /**
     * The assignor called {@code name}.
     *
     * @throws IllegalArgumentException when there is none; the message lists the names there are
     */
    public PartitionAssignor get(String name) {
        PartitionAssignor assignor = byName.get(Objects.requireNonNull(name, "name"));
        if (assignor == null) {
            throw new IllegalArgumentException("unknown assignor '" + name + "'; known assignors: " + byName.keySet());
        }
        return assignor;
    }

    /** The {@value #DEFAULT_ASSIGNOR} assignor. */
    public PartitionAssignor defaultAssignor() {
        return get(DEFAULT_ASSIGNOR);
    }
}
