package io.tributary.common;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for test nodes that are chosen before the node binds them (a cluster's voters must be
 * known up front). They come from below Linux's ephemeral range (32768-60999): a port taken from
 * inside it with {@code new ServerSocket(0)} can meanwhile become the local port of some outgoing
 * connection, and the node then fails to bind it.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int BELOW_EPHEMERAL = 32_768;
    private static final int ATTEMPTS = 200;

    private FreePorts() {
    }

    /** A port nothing listens on right now, on any local address (bound once, then released). */
    public static int freePort() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in [" + LOWEST + ", " + BELOW_EPHEMERAL + ") after "
                + ATTEMPTS + " attempts");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
