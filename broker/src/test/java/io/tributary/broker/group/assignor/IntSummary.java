package io.tributary.broker.group.assignor;

/** The smallest and largest number of partitions a member gets in an assignment. */
record IntSummary(int min, int max) {

    static IntSummary of(GroupAssignment assignment) {
        return of(assignment.members().values().stream().mapToInt(Assignments::load).toArray());
    }

    static IntSummary of(int[] loads) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int load : loads) {
            min = Math.min(min, load);
            max = Math.max(max, load);
        }
        return new IntSummary(min, max);
    }
}
