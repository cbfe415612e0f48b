package io.tributary.broker.group;

/**
 * What {@link GroupShardSimulation} runs exercised, so the randomised test can check it was not
 * vacuous (a run that never revoked, expired or failed over would prove little).
 */
final class SimulationStats {

    int joins;
    int leaves;
    int revocations;
    int lostAnswers;
    int fencedOrUnknown;
    int zombies;
    int staticTakeovers;
    int expiredMembers;
    int topicChanges;
    int failovers;
    int lockstepOperations;
    int acceptedCommits;
    int refusedCommits;
    int deletedOffsets;
    int deletedGroups;
    int stableGroupsSeen;
    int expiredOffsets;

    @Override
    public String toString() {
        return "joins=" + joins + " leaves=" + leaves + " revocations=" + revocations + " lostAnswers=" + lostAnswers
                + " fencedOrUnknown=" + fencedOrUnknown + " zombies=" + zombies + " staticTakeovers="
                + staticTakeovers + " expiredMembers=" + expiredMembers + " topicChanges=" + topicChanges
                + " failovers=" + failovers + " lockstepOperations=" + lockstepOperations + " acceptedCommits="
                + acceptedCommits + " refusedCommits=" + refusedCommits + " deletedOffsets=" + deletedOffsets
                + " deletedGroups=" + deletedGroups + " stableGroupsSeen=" + stableGroupsSeen
                + " expiredOffsets=" + expiredOffsets;
    }
}
