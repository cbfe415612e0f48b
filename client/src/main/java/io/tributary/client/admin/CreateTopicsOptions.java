package io.tributary.client.admin;

/** Options of {@link Admin#createTopics}. */
public final class CreateTopicsOptions extends AbstractOptions<CreateTopicsOptions> {

    private boolean validateOnly;

    /** When true the broker only checks the request (names, counts, configs) and creates nothing. */
    public CreateTopicsOptions validateOnly(boolean validateOnly) {
        this.validateOnly = validateOnly;
        return this;
    }

    public boolean shouldValidateOnly() {
        return validateOnly;
    }
}
