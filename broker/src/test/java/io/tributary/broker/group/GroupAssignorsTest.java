package io.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.group.assignor.GroupAssignment;
import io.tributary.broker.group.assignor.GroupSpec;
import io.tributary.broker.group.assignor.MemberAssignment;
import io.tributary.broker.group.assignor.PartitionAssignor;
import io.tributary.broker.group.assignor.TopicMetadata;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.common.errors.UnsupportedAssignorException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** group.consumer.assignors: built-in names and custom classes, the first the default; bad entries named. */
@Tag("unit")
class GroupAssignorsTest {

    /** A custom assignor as an operator would plug one in: everything to the first member. */
    public static final class FirstMemberTakesAll implements PartitionAssignor {
        @Override
        public String name() {
            return "first-takes-all";
        }

        @Override
        public GroupAssignment assign(GroupSpec group, TopicMetadata topics) {
            Map<String, MemberAssignment> assignments = new HashMap<>();
            group.members().forEach(m -> assignments.put(m.memberId(), MemberAssignment.EMPTY));
            return new GroupAssignment(assignments);
        }
    }

    @Test
    void customClassesJoinTheBuiltInsAndTheFirstEntryIsTheDefault() {
        GroupAssignors assignors = GroupAssignors.from(List.of(FirstMemberTakesAll.class.getName(), "range"));
        assertEquals("first-takes-all", assignors.defaultName());
        assertTrue(assignors.get("first-takes-all") instanceof FirstMemberTakesAll);
        assertTrue(assignors.offers("range"));
        assertFalse(assignors.offers("sticky"), "only the configured assignors are offered");
        UnsupportedAssignorException refused = assertThrows(UnsupportedAssignorException.class,
                () -> assignors.get("sticky"));
        assertTrue(refused.getMessage().contains("group.consumer.assignors"), refused.getMessage());
    }

    @Test
    void anEntryThatIsNeitherBuiltInNorALoadableAssignorIsNamed() {
        InvalidConfigurationException unknown = assertThrows(InvalidConfigurationException.class,
                () -> GroupAssignors.from(List.of("com.example.Missing")));
        assertTrue(unknown.getMessage().contains("com.example.Missing"), unknown.getMessage());
        InvalidConfigurationException notAnAssignor = assertThrows(InvalidConfigurationException.class,
                () -> GroupAssignors.from(List.of(String.class.getName())));
        assertTrue(notAnAssignor.getMessage().contains("does not implement"), notAnAssignor.getMessage());
    }
}
