package io.tributary.client.admin;

/** Options of {@link Admin#describeConfigs}. */
public final class DescribeConfigsOptions extends AbstractOptions<DescribeConfigsOptions> {

    private boolean includeSynonyms;
    private boolean includeDocumentation;

    /** When true each entry lists the values of every level that sets it, the effective one first. */
    public DescribeConfigsOptions includeSynonyms(boolean includeSynonyms) {
        this.includeSynonyms = includeSynonyms;
        return this;
    }

    public boolean includeSynonyms() {
        return includeSynonyms;
    }

    /** When true each entry carries its documentation. */
    public DescribeConfigsOptions includeDocumentation(boolean includeDocumentation) {
        this.includeDocumentation = includeDocumentation;
        return this;
    }

    public boolean includeDocumentation() {
        return includeDocumentation;
    }
}
