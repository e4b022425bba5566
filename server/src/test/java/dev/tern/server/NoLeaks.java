package dev.tern.server;

import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a server running or a gRPC channel open, as grpc-java's cleanup
 * rule does: after each test, anything the test itself started must be closed; after the
 * class, everything must be. Model leaks are caught by {@link TestServer#close()}, which
 * checks that the runtime has no model left open. Channels are tracked through {@link #track}.
 */
final class NoLeaks implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private static final Set<ManagedChannel> CHANNELS = ConcurrentHashMap.newKeySet();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoLeaks.class);

    /** Tracks {@code channel}, which must be terminated by the end of the test (or class) that made it. */
    static ManagedChannel track(ManagedChannel channel) {
        CHANNELS.add(channel);
        return channel;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("servers", InferenceServer.openServers());
        context.getStore(NAMESPACE).put("channels", new HashSet<>(CHANNELS));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        int before = context.getStore(NAMESPACE).get("servers", Integer.class);
        Set<ManagedChannel> existing = context.getStore(NAMESPACE).get("channels", Set.class);
        check(context, before, existing);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context, 0, Set.of());
    }

    private static void check(ExtensionContext context, int allowedServers, Set<ManagedChannel> allowedChannels) {
        List<String> leaks = new ArrayList<>();
        int servers = InferenceServer.openServers();
        if (servers > allowedServers) {
            leaks.add((servers - allowedServers) + " server(s) still open");
        }
        for (ManagedChannel channel : List.copyOf(CHANNELS)) {
            if (allowedChannels.contains(channel)) {
                continue;
            }
            if (!channel.isTerminated()) {
                leaks.add("channel " + channel + " not terminated");
                channel.shutdownNow();
            }
            CHANNELS.remove(channel);
        }
        if (!leaks.isEmpty()) {
            fail(context.getDisplayName() + " leaked: " + String.join("; ", leaks));
        }
    }
}
