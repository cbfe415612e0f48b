package io.tributary.client.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The scripted brokers and admin clients of one test, closed together (admin clients first). */
final class FakeBrokers implements AutoCloseable {

    private final List<Admin> admins = new ArrayList<>();
    private final List<FakeBroker> brokers = new ArrayList<>();

    FakeBroker broker(int nodeId) {
        FakeBroker broker = new FakeBroker(nodeId);
        brokers.add(broker);
        return broker;
    }

    /** An admin client bootstrapping from {@code bootstrap}, retrying after 5 to 20 ms. */
    Admin admin(FakeBroker bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap.address());
        config.put("retry.backoff.ms", "5");
        config.put("retry.backoff.max.ms", "20");
        Admin admin = Admin.create(config);
        admins.add(admin);
        return admin;
    }

    @Override
    public void close() {
        admins.forEach(Admin::close);
        brokers.forEach(FakeBroker::close);
    }
}
