package io.tributary.quorum.raft;

import java.util.List;

/**
 * What the Raft core asks its driver to do, in this order: persist {@code electionState} (if not
 * null) and flush the log (if {@code flushLog}), then call {@link RaftCore#logFlushed}, then send
 * {@code messages}, then apply {@code committed} entries to the state machine. Nothing may be sent
 * before what it depends on is durable.
 *
 * @param electionState the quorum state to write durably, or null when unchanged
 * @param flushLog      whether appended or truncated entries must be made durable
 * @param messages      messages to send
 * @param committed     newly committed entries, in offset order
 */
public record Ready(ElectionState electionState, boolean flushLog, List<RaftMessage> messages,
                    List<LogEntry> committed) {

    public Ready {
        messages = List.copyOf(messages);
        committed = List.copyOf(committed);
    }

    public boolean isEmpty() {
        return electionState == null && !flushLog && messages.isEmpty() && committed.isEmpty();
    }
}
