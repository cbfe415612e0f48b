package io.tributary.quorum.raft;

/**
 * What a node must remember across restarts to keep Raft safe ({@code quorum-state}): the latest
 * epoch it knows, whom it voted for in that epoch, the leader it knows for it, and whether it is a
 * voter that lost its disk and has not caught up yet. The driver writes it atomically and durably
 * before any message that depends on it leaves the node.
 *
 * <p><b>Catching up after a disk loss.</b> A voter whose log and quorum-state were lost has forgotten
 * the votes it cast and the entries it acknowledged: others may count on both (an entry may be
 * committed only because this voter had it). Voting again with an empty log could elect a leader
 * that lacks such an entry, or grant a second vote in an epoch. So it restarts with
 * {@code catchingUp} set ({@link #rejoining()}): it fetches like an observer, never grants a vote or
 * pre-vote and never stands for election, until a leader's fetch response shows its durable log holds
 * everything that leader committed in its own epoch (so everything committed before the loss too).
 * The flag is persisted so a restart before that point keeps it; its clearing is persisted like any
 * other change of this state.
 *
 * @param epoch      the current epoch (0 before any election)
 * @param votedFor   the voter this node voted for in {@code epoch}, or -1
 * @param leaderId   the leader of {@code epoch} when known, or -1
 * @param catchingUp true while this voter, having lost its disk, must catch up before voting
 */
public record ElectionState(int epoch, int votedFor, int leaderId, boolean catchingUp) {

    public static final int NONE = -1;

    /** A state without the catching-up flag. */
    public ElectionState(int epoch, int votedFor, int leaderId) {
        this(epoch, votedFor, leaderId, false);
    }

    public static ElectionState initial() {
        return new ElectionState(0, NONE, NONE);
    }

    /** The state a voter restarts with after losing its disk: nothing known, and it must catch up first. */
    public static ElectionState rejoining() {
        return new ElectionState(0, NONE, NONE, true);
    }

    public boolean hasVoted() {
        return votedFor != NONE;
    }

    public boolean hasLeader() {
        return leaderId != NONE;
    }
}
