package dev.vantage.agent.probe;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket's input with one deadline for a whole exchange rather than a timeout per read, so a
 * peer that drips one byte at a time cannot hold a probe longer than its timeout.
 */
final class DeadlineInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final long deadline;

    private DeadlineInput(Socket socket, Duration budget) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /** Buffered input from {@code socket} that fails with a timeout once {@code budget} has passed. */
    static InputStream of(Socket socket, Duration budget) throws IOException {
        return new BufferedInputStream(new DeadlineInput(socket, budget));
    }

    @Override
    public int read() throws IOException {
        arm();
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    private void arm() throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }
}
