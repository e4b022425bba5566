package dev.tern.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.BarrierTaskContext;

/**
 * Averages float arrays across a fixed group of ranks (the tasks of a Spark barrier stage) with
 * a ring all-reduce over TCP: each rank sends to the next and receives from the previous, first
 * summing one chunk per step (reduce-scatter), then passing the finished sums around
 * (all-gather). Each rank sends and receives about {@code 2 (n-1)/n} times the array per call,
 * whatever the number of ranks. Every rank ends with bit-identical values: each chunk's sum is
 * computed once, in ring order, then copied.
 *
 * <p>Use: every rank calls {@link #listen}, the ranks exchange their {@link #address(ServerSocket) address}es (in Spark with
 * {@code BarrierTaskContext.allGather}), then each calls {@link #join} with all of them in rank
 * order. Not thread-safe; close it to release its sockets. A peer that fails or disappears makes
 * the others fail with an {@link UncheckedIOException} naming the rank, which in Spark fails the
 * barrier stage.
 */
public final class RingAllReduce implements AutoCloseable {
    private final int rank;
    private final int size;
    private final ServerSocket server;
    private Socket next;
    private Socket previous;
    private DataOutputStream toNext;
    private DataInputStream fromPrevious;
    private final ExecutorService sender;

    private RingAllReduce(int rank, int size, ServerSocket server) {
        this.rank = rank;
        this.size = size;
        this.server = server;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "tern-ring-send-" + rank);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens this rank's listening socket on {@code host}, on a port the system picks.
     *
     * @throws UncheckedIOException if no socket can be opened
     */
    public static ServerSocket listen(InetAddress host) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(host, 0));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ": " + e.getMessage(), e);
        }
    }

    /** {@code server}'s address as {@code host:port}, for the other ranks. */
    public static String address(ServerSocket server) {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /**
     * Joins the ring as {@code rank} of {@code addresses.size()}, connecting to the next rank and
     * accepting the previous one; takes ownership of {@code server}.
     *
     * @param addresses every rank's {@link #address}, in rank order
     * @throws IllegalArgumentException if {@code rank} is not an index of {@code addresses}
     * @throws UncheckedIOException if a neighbour cannot be reached within {@code timeout}
     */
    public static RingAllReduce join(int rank, List<String> addresses, ServerSocket server, Duration timeout) {
        if (rank < 0 || rank >= addresses.size()) {
            throw new IllegalArgumentException("rank " + rank + " is not in 0.." + (addresses.size() - 1));
        }
        RingAllReduce ring = new RingAllReduce(rank, addresses.size(), server);
        try {
            if (ring.size > 1) {
                ring.connect(addresses.get((rank + 1) % ring.size), Math.toIntExact(timeout.toMillis()));
            }
            return ring;
        } catch (IOException e) {
            ring.close();
            throw new UncheckedIOException("rank " + rank + " of " + addresses.size() + ": cannot join the ring "
                    + addresses + ": " + e.getMessage(), e);
        }
    }

    private void connect(String nextAddress, int timeoutMillis) throws IOException {
        int colon = nextAddress.lastIndexOf(':');
        InetSocketAddress target = new InetSocketAddress(nextAddress.substring(0, colon),
                Integer.parseInt(nextAddress.substring(colon + 1)));
        next = new Socket();
        next.setTcpNoDelay(true);
        next.connect(target, timeoutMillis);
        toNext = new DataOutputStream(new BufferedOutputStream(next.getOutputStream(), 1 << 16));
        server.setSoTimeout(timeoutMillis);
        try {
            previous = server.accept();
        } catch (SocketTimeoutException e) {
            throw new IOException("the previous rank did not connect within " + timeoutMillis + " ms", e);
        }
        previous.setTcpNoDelay(true);
        fromPrevious = new DataInputStream(new BufferedInputStream(previous.getInputStream(), 1 << 16));
    }

    /**
     * Joins the ring of the tasks of the current barrier stage, one rank per task in partition
     * order: listens on this executor's address, exchanges addresses with
     * {@link BarrierTaskContext#allGather}, and connects. Every task of the stage must call it.
     *
     * @throws UncheckedIOException if a neighbour cannot be reached within {@code timeout}
     */
    public static RingAllReduce ofBarrierTasks(BarrierTaskContext task, Duration timeout) {
        String executor = task.getTaskInfos()[task.partitionId()].address();
        int colon = executor.lastIndexOf(':');
        InetAddress host;
        try {
            host = InetAddress.getByName(colon < 0 ? executor : executor.substring(0, colon));
        } catch (IOException e) {
            throw new UncheckedIOException("task " + task.partitionId() + ": cannot resolve its executor's address "
                    + executor, e);
        }
        ServerSocket server = listen(host);
        List<String> addresses = List.of(task.allGather(address(server)));
        return join(task.partitionId(), addresses, server, timeout);
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    /**
     * Replaces {@code values} by their average over all ranks. Every rank must call this with
     * an array of the same length, in the same order of calls.
     *
     * @throws UncheckedIOException if a peer fails, or sent a different length
     */
    public void averageInPlace(float[] values) {
        if (size == 1) {
            return;
        }
        try {
            reduceScatter(values);
            allGather(values);
        } catch (IOException e) {
            throw new UncheckedIOException("rank " + rank + " of " + size + ": all-reduce of " + values.length
                    + " values failed: " + e.getMessage(), e);
        }
        float scale = 1f / size;
        for (int i = 0; i < values.length; i++) {
            values[i] *= scale;
        }
    }

    /** After step s, this rank holds the sum of s + 2 ranks' values in chunk (rank - s - 1) mod n. */
    private void reduceScatter(float[] values) throws IOException {
        for (int step = 0; step < size - 1; step++) {
            int send = Math.floorMod(rank - step, size);
            int receive = Math.floorMod(rank - step - 1, size);
            exchange(values, send, receive, true);
        }
    }

    /** Passes the finished chunk (rank + 1) mod n around the ring until every rank has every chunk. */
    private void allGather(float[] values) throws IOException {
        for (int step = 0; step < size - 1; step++) {
            int send = Math.floorMod(rank + 1 - step, size);
            int receive = Math.floorMod(rank - step, size);
            exchange(values, send, receive, false);
        }
    }

    /** Sends chunk {@code send} to the next rank while receiving chunk {@code receive} from the previous. */
    private void exchange(float[] values, int send, int receive, boolean add) throws IOException {
        int sendFrom = chunkStart(values.length, send);
        int sendTo = chunkStart(values.length, send + 1);
        ByteBuffer outgoing = ByteBuffer.allocate(4 * (sendTo - sendFrom));
        outgoing.asFloatBuffer().put(values, sendFrom, sendTo - sendFrom);
        Future<?> sent = sender.submit(() -> {
            toNext.writeInt(sendTo - sendFrom);
            toNext.write(outgoing.array());
            toNext.flush();
            return null;
        });
        int from = chunkStart(values.length, receive);
        int to = chunkStart(values.length, receive + 1);
        int length = readChunkLength();
        if (length != to - from) {
            IOException mismatch = new IOException("the previous rank sent a chunk of " + length + " values, expected "
                    + (to - from) + " (do all ranks reduce arrays of " + values.length + "?)");
            // Take the peer's chunk and finish this rank's own send before failing: the peer then
            // finds the mismatch in what it reads too, instead of a connection closed under it.
            try {
                if (length > 0) {
                    fromPrevious.skipNBytes(4L * length);
                }
                awaitSent(sent);
            } catch (IOException e) {
                mismatch.addSuppressed(e);
            }
            throw mismatch;
        }
        byte[] incoming = new byte[4 * length];
        fromPrevious.readFully(incoming);
        FloatBuffer received = ByteBuffer.wrap(incoming).asFloatBuffer();
        for (int i = from; i < to; i++) {
            values[i] = add ? values[i] + received.get() : received.get();
        }
        awaitSent(sent);
    }

    private int readChunkLength() throws IOException {
        try {
            return fromPrevious.readInt();
        } catch (EOFException e) {
            throw new IOException("the previous rank closed the connection instead of sending a chunk (it failed or left)", e);
        }
    }

    private static void awaitSent(Future<?> sent) throws IOException {
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw new IOException("sending to the next rank failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to the next rank", e);
        }
    }

    private int chunkStart(int length, int chunk) {
        return (int) ((long) length * chunk / size);
    }

    /** Closes the sockets. Idempotent. */
    @Override
    public void close() {
        sender.shutdownNow();
        for (AutoCloseable closeable : new AutoCloseable[] {next, previous, server}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // Closing a socket only fails when it is already broken; nothing is left to release.
            }
        }
    }
}
