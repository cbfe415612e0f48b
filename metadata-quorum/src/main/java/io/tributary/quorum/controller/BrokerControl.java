package io.tributary.quorum.controller;

import io.tributary.common.errors.DuplicateBrokerRegistrationException;
import io.tributary.common.errors.InconsistentClusterIdException;
import io.tributary.common.errors.StaleBrokerEpochException;
import io.tributary.proto.controller.v1.AllocateProducerIdsRequest;
import io.tributary.proto.controller.v1.AllocateProducerIdsResponse;
import io.tributary.proto.controller.v1.BrokerHeartbeatRequest;
import io.tributary.proto.controller.v1.BrokerHeartbeatResponse;
import io.tributary.proto.controller.v1.BrokerRegistrationRequest;
import io.tributary.proto.metadata.v1.BrokerRegistrationChangeRecord;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.ProducerIdsRecord;
import io.tributary.proto.metadata.v1.RegisterBrokerRecord;
import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.TopicImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Broker lifecycle on the active controller: registration (a new incarnation starts fenced),
 * heartbeats (unfence once the broker has replayed the metadata up to its own registration),
 * session expiry (fence, and move its leaderships to other in-sync replicas — or, for a topic with
 * unclean.leader.election.enable, to an out-of-sync one when no in-sync replica is usable),
 * controlled shutdown (asked through the heartbeat) and producer-id blocks.
 *
 * <p>Sessions (last contact per broker) live only in memory on the active controller: a newly
 * active controller gives every registered broker a fresh session. Everything else is computed
 * from the image into records. Not thread-safe: the controller loop owns it.
 */
public final class BrokerControl {

    /** Producer ids handed to a broker per request, as Kafka. */
    public static final int PRODUCER_ID_BLOCK_SIZE = 1000;

    private final String clusterId;
    private final long sessionTimeoutMs;
    private final Predicate<TopicImage> uncleanAllowed;
    private final Map<Integer, Long> lastContactMs = new HashMap<>();

    /**
     * @param topicConfigDefaults the broker's topic-config defaults; {@code unclean.leader.election.enable}
     *                            there applies to topics that do not set it
     */
    public BrokerControl(String clusterId, long sessionTimeoutMs, Map<String, String> topicConfigDefaults) {
        this.clusterId = clusterId;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.uncleanAllowed = PartitionLeadership.uncleanElectionEnabled(topicConfigDefaults);
    }

    /** This controller became active: every registered broker's session starts now. */
    public void resetSessions(MetadataImage image, long nowMs) {
        lastContactMs.clear();
        image.brokers().keySet().forEach(id -> lastContactMs.put(id, nowMs));
    }

    /**
     * Registers an incarnation: records whose offset will be its broker epoch, or none for a retried
     * registration of the registered incarnation (whose epoch is then read from the committed image:
     * the image this runs against may hold records not yet committed). The response is always null.
     */
    public ControllerResult<Long> register(MetadataImage image, BrokerRegistrationRequest request, long nowMs) {
        if (!clusterId.equals(request.getClusterId())) {
            throw new InconsistentClusterIdException("broker " + request.getBrokerId() + " belongs to cluster '"
                    + request.getClusterId() + "', this controller to '" + clusterId + "'");
        }
        Optional<BrokerImage> existing = image.broker(request.getBrokerId());
        if (existing.isPresent() && existing.get().incarnationId().equals(request.getIncarnationId())) {
            lastContactMs.put(request.getBrokerId(), nowMs);
            return new ControllerResult<>(List.of(), null);
        }
        if (existing.isPresent() && !existing.get().fenced() && !sessionExpired(request.getBrokerId(), nowMs)) {
            throw new DuplicateBrokerRegistrationException("broker " + request.getBrokerId() + " is registered by "
                    + "another live incarnation (" + existing.get().incarnationId() + "); two nodes may share one "
                    + "node.id, or the old process has not been gone for broker.session.timeout.ms ("
                    + sessionTimeoutMs + " ms) yet");
        }
        int id = request.getBrokerId();
        List<MetadataRecord> records = new ArrayList<>();
        records.add(MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder()
                .setBrokerId(id).setIncarnationId(request.getIncarnationId()).setHost(request.getHost())
                .setPort(request.getPort()).setRack(request.getRack()).setFenced(true)).build());
        // The old incarnation's leaderships died with it.
        records.addAll(PartitionLeadership.removeBroker(image, id, usableExcept(image, id, nowMs), uncleanAllowed));
        lastContactMs.put(id, nowMs);
        return new ControllerResult<>(records, null);
    }

    /**
     * Records a heartbeat; unfences a broker that has caught up, or fences one that asks to shut
     * down (moving its leaderships away first, in the same atomic entry).
     */
    public ControllerResult<BrokerHeartbeatResponse> heartbeat(MetadataImage image, BrokerHeartbeatRequest request,
                                                               long nowMs) {
        BrokerImage broker = requireEpoch(image, request.getBrokerId(), request.getBrokerEpoch());
        lastContactMs.put(broker.id(), nowMs);
        if (request.getWantShutdown()) {
            if (broker.fenced() && broker.inControlledShutdown()) {
                return new ControllerResult<>(List.of(), response(true, true, true));
            }
            List<MetadataRecord> records = new ArrayList<>();
            records.add(change(broker, true, true));
            records.addAll(PartitionLeadership.removeBroker(image, broker.id(), usableExcept(image, broker.id(),
                    nowMs), uncleanAllowed));
            return new ControllerResult<>(records, response(true, true, true));
        }
        if (broker.fenced() && request.getMetadataOffset() >= broker.epoch()) {
            List<MetadataRecord> records = new ArrayList<>();
            records.add(change(broker, false, false));
            IntPredicate live = liveBrokers(image, nowMs);
            records.addAll(PartitionLeadership.electLeaderless(image, id -> id == broker.id() || live.test(id),
                    uncleanAllowed));
            return new ControllerResult<>(records, response(false, false, false));
        }
        return new ControllerResult<>(List.of(), response(broker.fenced(), broker.inControlledShutdown(), false));
    }

    /**
     * Fences one unfenced broker whose session expired, moving its leaderships away; empty when none
     * did. One broker per call: each call must see the partition epochs the previous one produced.
     */
    public ControllerResult<Optional<Integer>> fenceOneExpiredBroker(MetadataImage image, long nowMs) {
        for (BrokerImage broker : image.brokers().values()) {
            if (!broker.fenced() && sessionExpired(broker.id(), nowMs)) {
                List<MetadataRecord> records = new ArrayList<>();
                records.add(change(broker, true, broker.inControlledShutdown()));
                records.addAll(PartitionLeadership.removeBroker(image, broker.id(), usableExcept(image, broker.id(),
                        nowMs), uncleanAllowed));
                return new ControllerResult<>(records, Optional.of(broker.id()));
            }
        }
        return new ControllerResult<>(List.of(), Optional.empty());
    }

    /** Hands the broker the next block of producer ids. */
    public ControllerResult<AllocateProducerIdsResponse> allocateProducerIds(MetadataImage image,
                                                                            AllocateProducerIdsRequest request) {
        requireEpoch(image, request.getBrokerId(), request.getBrokerEpoch());
        long first = image.nextProducerId();
        MetadataRecord record = MetadataRecord.newBuilder().setProducerIds(ProducerIdsRecord.newBuilder()
                .setBrokerId(request.getBrokerId()).setBrokerEpoch(request.getBrokerEpoch())
                .setNextProducerId(first + PRODUCER_ID_BLOCK_SIZE)).build();
        return new ControllerResult<>(List.of(record), AllocateProducerIdsResponse.newBuilder()
                .setFirstProducerId(first).setBlockSize(PRODUCER_ID_BLOCK_SIZE).build());
    }

    private boolean sessionExpired(int brokerId, long nowMs) {
        Long last = lastContactMs.get(brokerId);
        return last == null || nowMs - last > sessionTimeoutMs;
    }

    /**
     * The broker's registration, if {@code brokerEpoch} is its current epoch.
     *
     * @throws StaleBrokerEpochException when it is not registered, or registered at another epoch
     */
    static BrokerImage requireEpoch(MetadataImage image, int brokerId, long brokerEpoch) {
        BrokerImage broker = image.broker(brokerId).orElseThrow(() -> new StaleBrokerEpochException("broker "
                + brokerId + " is not registered; register again"));
        if (broker.epoch() != brokerEpoch) {
            throw new StaleBrokerEpochException("broker " + brokerId + " sent broker epoch " + brokerEpoch
                    + " but its current registration has epoch " + broker.epoch() + "; register again");
        }
        return broker;
    }

    /** Brokers that may lead now: active and alive (not silent past the session timeout). */
    public IntPredicate liveBrokers(MetadataImage image, long nowMs) {
        return usableExcept(image, -1, nowMs);
    }

    /** Brokers that may lead: active, alive (not silent past the session timeout), and not {@code excluded}. */
    private IntPredicate usableExcept(MetadataImage image, int excluded, long nowMs) {
        return id -> id != excluded && image.broker(id).map(BrokerImage::active).orElse(false)
                && !sessionExpired(id, nowMs);
    }

    private static MetadataRecord change(BrokerImage broker, boolean fenced, boolean inControlledShutdown) {
        return MetadataRecord.newBuilder().setBrokerRegistrationChange(BrokerRegistrationChangeRecord.newBuilder()
                .setBrokerId(broker.id()).setBrokerEpoch(broker.epoch()).setFenced(fenced)
                .setInControlledShutdown(inControlledShutdown)).build();
    }

    private static BrokerHeartbeatResponse response(boolean fenced, boolean inControlledShutdown,
                                                    boolean shouldShutdown) {
        return BrokerHeartbeatResponse.newBuilder().setFenced(fenced).setInControlledShutdown(inControlledShutdown)
                .setShouldShutdown(shouldShutdown).build();
    }
}
