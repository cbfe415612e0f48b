package io.tributary.client.admin;

/** Options of {@link Admin#listTopics}. */
public final class ListTopicsOptions extends AbstractOptions<ListTopicsOptions> {

    private boolean listInternal;

    /** Whether internal topics (names starting with "__") are listed too; false by default. */
    public ListTopicsOptions listInternal(boolean listInternal) {
        this.listInternal = listInternal;
        return this;
    }

    public boolean shouldListInternal() {
        return listInternal;
    }
}
