package io.tributary.broker.group.assignor;

import static io.tributary.broker.group.assignor.Assignments.member;
import static io.tributary.broker.group.assignor.Assignments.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link AssignorRegistry}: built-ins, the default, custom assignors, and bad names. */
@Tag("unit")
class AssignorRegistryTest {

    /** A custom assignor: the whole of every subscribed topic to its first subscriber. */
    private record FirstSubscriberTakesAll(String name) implements PartitionAssignor {

        @Override
        public GroupAssignment assign(GroupSpec group, TopicMetadata topics) {
            Map<String, Map<String, Set<Integer>>> assigned = new HashMap<>();
            group.members().forEach(member -> assigned.put(member.memberId(), new HashMap<>()));
            topics.partitionCounts().forEach((topic, count) -> group.members().stream()
                    .filter(member -> member.subscribedTopics().contains(topic)).findFirst()
                    .ifPresent(first -> assigned.get(first.memberId()).put(topic,
                            Set.copyOf(IntStream.range(0, count).boxed().toList()))));
            Map<String, MemberAssignment> members = new HashMap<>();
            assigned.forEach((memberId, partitions) -> members.put(memberId, new MemberAssignment(partitions)));
            return new GroupAssignment(members);
        }
    }

    @Test
    void testBuiltInsAreFoundByNameAndStickyIsTheDefault() {
        AssignorRegistry registry = AssignorRegistry.builtIn();

        assertInstanceOf(RangeAssignor.class, registry.get("range"));
        assertInstanceOf(RoundRobinAssignor.class, registry.get("roundrobin"));
        assertInstanceOf(StickyAssignor.class, registry.get("sticky"));
        assertSame(registry.get("sticky"), registry.defaultAssignor());
        assertEquals("sticky", AssignorRegistry.DEFAULT_ASSIGNOR);
    }

    @Test
    void testACustomAssignorIsAddedAndRuns() {
        AssignorRegistry builtIn = AssignorRegistry.builtIn();
        AssignorRegistry registry = builtIn.with(new FirstSubscriberTakesAll("greedy"));

        GroupAssignment result = registry.get("greedy").assign(
                new GroupSpec(List.of(member("b", Set.of("t")), member("a", Set.of("t")))), topics("t", 2));

        assertEquals(new MemberAssignment(Map.of("t", Set.of(0, 1))), result.members().get("a"));
        assertEquals(MemberAssignment.EMPTY, result.members().get("b"));
        assertInstanceOf(StickyAssignor.class, registry.get("sticky"));
        assertEquals("unknown assignor 'greedy'; known assignors: [range, roundrobin, sticky]",
                assertThrows(IllegalArgumentException.class, () -> builtIn.get("greedy")).getMessage(), "the original is unchanged");
    }

    @Test
    void testAnUnknownNameIsRefusedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AssignorRegistry.builtIn().get("uniform"));
        assertEquals("unknown assignor 'uniform'; known assignors: [range, roundrobin, sticky]", e.getMessage());
        assertThrows(NullPointerException.class, () -> AssignorRegistry.builtIn().get(null));
    }

    @Test
    void testATakenOrBlankNameIsRefused() {
        AssignorRegistry registry = AssignorRegistry.builtIn();

        assertEquals("an assignor named 'range' is already registered", assertThrows(IllegalArgumentException.class,
                () -> registry.with(new FirstSubscriberTakesAll("range"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.with(new FirstSubscriberTakesAll(" ")));
        assertThrows(IllegalArgumentException.class, () -> registry.with(new FirstSubscriberTakesAll(null)));
        assertThrows(NullPointerException.class, () -> registry.with(null));
    }
}
