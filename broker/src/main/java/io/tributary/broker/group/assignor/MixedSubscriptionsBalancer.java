package io.tributary.broker.group.assignor;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The sticky assignment when members subscribe to different topics, as a minimum-cost flow.
 *
 * <p>The goal, in priority order: (1) the most balanced assignment the subscriptions allow, meaning the
 * least sum of squared member loads; an assignment minimising it is an optimal semi-matching (Harvey,
 * Ladner, Lovász and Tamir, "Semi-matchings for bipartite graphs and load balancing", 2006), which also
 * minimises the largest load and keeps the loads of members with identical subscriptions within one of
 * each other; (2) among those, the most partitions left with their keepers. Both fit one integer cost,
 * {@code balanceWeight * sum(load^2) - kept}, with the weight large enough that no change in
 * {@code kept} along a cycle below can outweigh a change in balance.
 *
 * <p>Algorithm: every keeper keeps its partitions, every other partition goes to its least-loaded
 * subscriber; then negative-cost cycles of the residual graph are cancelled until none is left, which is
 * the optimality condition of minimum-cost flow. The residual graph has a node per member and a
 * <em>pool</em> node: an arc {@code x -> y} moves one partition that {@code x} owns, of a topic {@code y}
 * subscribes to, to {@code y} (cost +1 if {@code x} is its keeper, -1 if {@code y} is, else 0; the
 * cheapest such partition is the one moved); {@code y -> pool} adds one to {@code y}'s load and
 * {@code pool -> x} takes one from {@code x}'s, costing the change in their squares. A cycle through the
 * pool is a chain of moves that shifts one partition's worth of load from {@code x} to {@code y}; a cycle
 * without it swaps partitions to keep more of them.
 *
 * <p>Each cancellation lowers the integer cost, which is bounded below, so the loop ends; in practice it
 * runs about once per partition that has to move. A round rebuilds the arcs in O(members^2), plus
 * O(partitions) for each member whose partitions the last cycle changed, then runs Bellman-Ford passes
 * of O(members^2) each: usually a few, at most members + 1.
 */
final class MixedSubscriptionsBalancer {

    private final StickyProblem problem;
    private final int[] owner;
    private final int[] load;
    /** Greater than the number of member arcs on any simple cycle, the most {@code kept} can change by. */
    private final long balanceWeight;
    /**
     * {@code cheapestMove[from][to]}: the partition {@code from} owns that {@code to} subscribes to whose
     * move costs least, or none; {@code cheapestMoveCost} holds that cost. A row is recomputed only when
     * its member's partitions changed ({@code staleMoves}), since a row depends on nothing else.
     */
    private final int[][] cheapestMove;
    private final int[][] cheapestMoveCost;
    private final boolean[] staleMoves;

    private MixedSubscriptionsBalancer(StickyProblem problem) {
        this.problem = problem;
        this.owner = new int[problem.partitionCount()];
        this.load = new int[problem.memberCount()];
        this.balanceWeight = problem.memberCount() + 1L;
        this.cheapestMove = new int[problem.memberCount()][problem.memberCount()];
        this.cheapestMoveCost = new int[problem.memberCount()][problem.memberCount()];
        this.staleMoves = new boolean[problem.memberCount()];
        Arrays.fill(staleMoves, true);
    }

    /** The owner of each partition; requires at least one member. */
    static int[] balance(StickyProblem problem) {
        MixedSubscriptionsBalancer balancer = new MixedSubscriptionsBalancer(problem);
        balancer.keepThenPlaceTheRest();
        for (Arcs cycle = balancer.residualArcs().negativeCycle(); cycle.size > 0;
                cycle = balancer.residualArcs().negativeCycle()) {
            balancer.moveAlong(cycle);
        }
        return balancer.owner;
    }

    /**
     * The starting point: keepers keep, and each other partition goes to its least-loaded subscriber,
     * those with the fewest subscribers first (they have the least choice), which leaves few cycles to
     * cancel.
     */
    private void keepThenPlaceTheRest() {
        for (int partition = 0; partition < owner.length; partition++) {
            owner[partition] = problem.keeper(partition);
            if (owner[partition] != StickyProblem.NONE) {
                load[owner[partition]]++;
            }
        }
        int[] unowned = IntStream.range(0, owner.length).filter(p -> owner[p] == StickyProblem.NONE).boxed()
                .sorted(Comparator.comparingInt((Integer p) -> problem.subscribersOf(problem.topicOf(p)).length)
                        .thenComparingInt(p -> p))
                .mapToInt(Integer::intValue).toArray();
        for (int partition : unowned) {
            int leastLoaded = StickyProblem.NONE;
            for (int member : problem.subscribersOf(problem.topicOf(partition))) {
                if (leastLoaded == StickyProblem.NONE || load[member] < load[leastLoaded]) {
                    leastLoaded = member;
                }
            }
            owner[partition] = leastLoaded;
            load[leastLoaded]++;
        }
    }

    private Arcs residualArcs() {
        int members = problem.memberCount();
        int pool = members;
        for (int member = 0; member < members; member++) {
            if (staleMoves[member]) {
                findCheapestMovesFrom(member);
            }
        }
        Arcs arcs = new Arcs(members + 1, members * members + 2 * members);
        for (int from = 0; from < members; from++) {
            for (int to = 0; to < members; to++) {
                if (cheapestMove[from][to] != StickyProblem.NONE) {
                    arcs.add(from, to, cheapestMoveCost[from][to], cheapestMove[from][to]);
                }
            }
        }
        for (int member = 0; member < members; member++) {
            arcs.add(member, pool, balanceWeight * (2L * load[member] + 1), StickyProblem.NONE);
            if (load[member] > 0) {
                arcs.add(pool, member, -balanceWeight * (2L * load[member] - 1), StickyProblem.NONE);
            }
        }
        return arcs;
    }

    /** For each other member, the cheapest partition {@code from} could hand it, if any. */
    private void findCheapestMovesFrom(int from) {
        Arrays.fill(cheapestMove[from], StickyProblem.NONE);
        for (int partition = 0; partition < owner.length; partition++) {
            if (owner[partition] != from) {
                continue;
            }
            int keeper = problem.keeper(partition);
            for (int to : problem.subscribersOf(problem.topicOf(partition))) {
                int cost = (keeper == from ? 1 : 0) - (keeper == to ? 1 : 0);
                if (to != from && (cheapestMove[from][to] == StickyProblem.NONE || cost < cheapestMoveCost[from][to])) {
                    cheapestMoveCost[from][to] = cost;
                    cheapestMove[from][to] = partition;
                }
            }
        }
        staleMoves[from] = false;
    }

    private void moveAlong(Arcs cycle) {
        for (int arc = 0; arc < cycle.size; arc++) {
            int partition = cycle.partition[arc];
            if (partition != StickyProblem.NONE) {
                owner[partition] = cycle.to[arc];
                load[cycle.from[arc]]--;
                load[cycle.to[arc]]++;
                staleMoves[cycle.from[arc]] = true;
                staleMoves[cycle.to[arc]] = true;
            }
        }
    }

    /** A list of weighted arcs between {@code nodes} nodes, each moving a partition or none. */
    private static final class Arcs {

        private final int nodes;
        private final int[] from;
        private final int[] to;
        private final long[] weight;
        private final int[] partition;
        private int size;

        Arcs(int nodes, int capacity) {
            this.nodes = nodes;
            this.from = new int[capacity];
            this.to = new int[capacity];
            this.weight = new long[capacity];
            this.partition = new int[capacity];
        }

        void add(int fromNode, int toNode, long arcWeight, int movedPartition) {
            from[size] = fromNode;
            to[size] = toNode;
            weight[size] = arcWeight;
            partition[size] = movedPartition;
            size++;
        }

        /**
         * The arcs of one negative-weight cycle, or no arcs if there is none: Bellman-Ford from a virtual
         * source with a free arc to every node, looking for a cycle among the predecessor arcs after each
         * pass. Any such cycle has negative weight, and one appears by the last pass if a negative cycle
         * exists; looking early usually finds one after a few passes instead of {@code nodes}.
         */
        Arcs negativeCycle() {
            long[] distance = new long[nodes];
            int[] arcInto = new int[nodes];
            Arrays.fill(arcInto, StickyProblem.NONE);
            for (int pass = 0; pass < nodes; pass++) {
                boolean relaxed = false;
                for (int arc = 0; arc < size; arc++) {
                    if (distance[from[arc]] + weight[arc] < distance[to[arc]]) {
                        distance[to[arc]] = distance[from[arc]] + weight[arc];
                        arcInto[to[arc]] = arc;
                        relaxed = true;
                    }
                }
                if (!relaxed) {
                    return new Arcs(nodes, 0);
                }
                int onCycle = nodeOnPredecessorCycle(arcInto);
                if (onCycle != StickyProblem.NONE) {
                    return cycleThrough(onCycle, arcInto);
                }
            }
            throw new IllegalStateException("Bellman-Ford still relaxing after " + nodes + " passes without a predecessor cycle");
        }

        /** A node on a cycle of the predecessor arcs, or {@link StickyProblem#NONE}; O(nodes). */
        private int nodeOnPredecessorCycle(int[] arcInto) {
            int[] walkOf = new int[nodes];
            Arrays.fill(walkOf, StickyProblem.NONE);
            for (int start = 0; start < nodes; start++) {
                int node = start;
                while (node != StickyProblem.NONE && walkOf[node] == StickyProblem.NONE) {
                    walkOf[node] = start;
                    node = arcInto[node] == StickyProblem.NONE ? StickyProblem.NONE : from[arcInto[node]];
                }
                if (node != StickyProblem.NONE && walkOf[node] == start) {
                    return node;
                }
            }
            return StickyProblem.NONE;
        }

        private Arcs cycleThrough(int onCycle, int[] arcInto) {
            Arcs cycle = new Arcs(nodes, nodes);
            int node = onCycle;
            do {
                int arc = arcInto[node];
                cycle.add(from[arc], to[arc], weight[arc], partition[arc]);
                node = from[arc];
            } while (node != onCycle);
            return cycle;
        }
    }
}
