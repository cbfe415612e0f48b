package io.tributary.quorum.controller;

import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.RegisterBrokerRecord;
import io.tributary.quorum.image.MetadataDelta;
import io.tributary.quorum.image.MetadataImage;
import java.util.ArrayList;
import java.util.List;

/** Builds metadata images for controller tests by replaying records, as every node does. */
final class Images {

    private Images() {
    }

    /** Replays {@code records} as one entry after the image's last offset. */
    static MetadataImage apply(MetadataImage image, List<MetadataRecord> records) {
        MetadataDelta delta = new MetadataDelta(image);
        long offset = image.lastOffset() + 1;
        for (MetadataRecord record : records) {
            delta.replay(record, offset);
        }
        return delta.apply();
    }

    /** Unfenced brokers with the given ids, all on {@code racks[i]} (or no rack when racks is empty). */
    static MetadataImage brokers(List<Integer> ids, List<String> racks) {
        MetadataImage image = MetadataImage.EMPTY;
        for (int i = 0; i < ids.size(); i++) {
            List<MetadataRecord> records = new ArrayList<>();
            records.add(MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder()
                    .setBrokerId(ids.get(i)).setIncarnationId("inc-" + ids.get(i)).setHost("h").setPort(9000 + i)
                    .setRack(racks.isEmpty() ? "" : racks.get(i))).build());
            image = apply(image, records);
        }
        return image;
    }
}
