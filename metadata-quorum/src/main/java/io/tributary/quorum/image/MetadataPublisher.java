package io.tributary.quorum.image;

/**
 * Receives every new metadata image together with the delta that produced it. Publishers are
 * where metadata turns into side effects (creating logs, deleting data). Called on the metadata
 * loader's thread, one image at a time and in log order; an implementation must not block for long.
 */
public interface MetadataPublisher {

    String name();

    void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage);
}
