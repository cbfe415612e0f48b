package io.tributary.quorum.image;

import io.tributary.proto.metadata.v1.MetadataRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Folds committed metadata records into a new {@link MetadataImage} and hands (delta, image) to
 * every publisher. Single writer: {@link #load} is called only by the thread that commits metadata
 * (the controller loop); {@link #image()} may be read from any thread.
 */
public final class MetadataLoader {

    /** A record and the metadata log offset it was committed at. */
    public record CommittedRecord(long offset, MetadataRecord record) {
    }

    private final List<MetadataPublisher> publishers = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    public void register(MetadataPublisher publisher) {
        publishers.add(publisher);
    }

    public MetadataImage image() {
        return image;
    }

    /**
     * Replaces the image by a snapshot's (every entry up to its last offset) and publishes the change
     * from the current image: topics the snapshot lacks are deleted, the others converge to it.
     */
    public MetadataImage loadSnapshot(MetadataImage snapshot) {
        if (snapshot.lastOffset() < image.lastOffset()) {
            throw new IllegalStateException("a snapshot up to offset " + snapshot.lastOffset() + " would move the "
                    + "image back from offset " + image.lastOffset());
        }
        MetadataDelta delta = new MetadataDelta(image);
        delta.replaceWith(snapshot);
        MetadataImage next = delta.apply();
        image = next;
        for (MetadataPublisher publisher : publishers) {
            publisher.onMetadataUpdate(delta, next);
        }
        return next;
    }

    /** Applies {@code records} (one committed batch, in offset order) and publishes the result. */
    public MetadataImage load(List<CommittedRecord> records) {
        if (records.isEmpty()) {
            return image;
        }
        MetadataDelta delta = new MetadataDelta(image);
        for (CommittedRecord committed : records) {
            if (committed.offset() <= image.lastOffset()) {
                throw new IllegalStateException("metadata record at offset " + committed.offset()
                        + " is not after the image's last offset " + image.lastOffset());
            }
            delta.replay(committed.record(), committed.offset());
        }
        MetadataImage next = delta.apply();
        image = next;
        for (MetadataPublisher publisher : publishers) {
            publisher.onMetadataUpdate(delta, next);
        }
        return next;
    }
}
