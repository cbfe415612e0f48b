package io.tributary.client.admin;

/** Options of {@link Admin#createPartitions}. */
public final class CreatePartitionsOptions extends AbstractOptions<CreatePartitionsOptions> {

    private boolean validateOnly;

    /** When true the broker only checks the new counts and changes nothing. */
    public CreatePartitionsOptions validateOnly(boolean validateOnly) {
        this.validateOnly = validateOnly;
        return this;
    }

    public boolean validateOnly() {
        return validateOnly;
    }
}
