package io.tributary.broker.group.assignor;

import io.tributary.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The reference for small groups: tries every way of giving each assignable partition to one of its
 * topic's subscribers and keeps the best by (sum of squared member loads, then partitions moved away from
 * their previous owner). Exponential; meant for a handful of partitions and members.
 */
final class ExhaustiveSearch {

    private ExhaustiveSearch() {
    }

    /** {best sum of squared loads, fewest moves at that balance}. */
    static long[] best(GroupSpec group, TopicMetadata topics, Map<TopicPartition, String> previousOwners) {
        List<MemberSpec> members = group.members();
        List<TopicPartition> partitions = new ArrayList<>();
        List<int[]> subscribers = new ArrayList<>();
        topics.partitionCounts().forEach((topic, count) -> {
            int[] takers = IntStream.range(0, members.size())
                    .filter(i -> members.get(i).subscribedTopics().contains(topic)).toArray();
            for (int partition = 0; partition < count && takers.length > 0; partition++) {
                partitions.add(new TopicPartition(topic, partition));
                subscribers.add(takers);
            }
        });
        int[] choice = new int[partitions.size()];
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
        do {
            long[] cost = cost(members, partitions, subscribers, choice, previousOwners);
            if (cost[0] < best[0] || (cost[0] == best[0] && cost[1] < best[1])) {
                best = cost;
            }
        } while (next(choice, subscribers));
        return best;
    }

    private static long[] cost(List<MemberSpec> members, List<TopicPartition> partitions, List<int[]> subscribers, int[] choice,
                               Map<TopicPartition, String> previousOwners) {
        long[] loads = new long[members.size()];
        long moved = 0;
        for (int i = 0; i < partitions.size(); i++) {
            int owner = subscribers.get(i)[choice[i]];
            loads[owner]++;
            String previous = previousOwners.get(partitions.get(i));
            if (previous != null && !previous.equals(members.get(owner).memberId())) {
                moved++;
            }
        }
        long squares = 0;
        for (long load : loads) {
            squares += load * load;
        }
        return new long[] {squares, moved};
    }

    /** Advances {@code choice} like an odometer whose digit i counts subscribers of partition i; false after the last. */
    private static boolean next(int[] choice, List<int[]> subscribers) {
        for (int i = 0; i < choice.length; i++) {
            choice[i]++;
            if (choice[i] < subscribers.get(i).length) {
                return true;
            }
            choice[i] = 0;
        }
        return false;
    }
}
