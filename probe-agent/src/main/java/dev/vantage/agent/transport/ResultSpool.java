package dev.vantage.agent.transport;

import dev.vantage.trust.ResultSigner;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Results on disk until the broker has acknowledged them: one file per result, written atomically
 * (temp file + rename), named so that lexical order is arrival order. The spool is bounded by a number
 * of files and of bytes; when full, the oldest results are evicted and counted — a loss that is
 * reported, never a silent one.
 */
public final class ResultSpool {
    private static final Logger LOG = Logger.getLogger(ResultSpool.class);
    private static final String SUFFIX = ".result.json";

    private final Path dir;
    private final int maxFiles;
    private final long maxBytes;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();

    public ResultSpool(Path dir, int maxFiles, long maxBytes) {
        this.dir = dir;
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the result spool directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the result durably and returns its file; evicts the oldest files first if the spool is full. */
    public synchronized Path write(ProbeResult result) {
        byte[] bytes = bounded(result);
        makeRoom(bytes.length);
        String name = String.format("%020d-%06d-%s%s", System.currentTimeMillis(), sequence.incrementAndGet() % 1_000_000,
                result.resultId(), SUFFIX);
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write result " + result.resultId() + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The coordinator refuses messages over {@link Wire#MAX_MESSAGE_BYTES}; rather than lose a result that would not
     * fit once signed (its JSON is carried as a string, {@link ResultSigner#fits}), it is sent without its evidence,
     * saying so in the summary.
     */
    static byte[] bounded(ProbeResult result) {
        byte[] bytes = Wire.encode(result);
        if (ResultSigner.fits(new String(bytes, StandardCharsets.UTF_8))) {
            return bytes;
        }
        String summary = result.summary() == null ? "" : result.summary();
        if (summary.length() > 2_000) {
            summary = summary.substring(0, 2_000) + "...";
        }
        ProbeResult slim = new ProbeResult(result.schemaVersion(), result.resultId(), result.taskId(), result.surveyId(),
                result.siteId(), result.vantage(), result.agentId(), result.agentVersion(), result.requirementId(),
                result.kind(), result.target(), result.ports(), result.outcome(), result.sourceAddress(),
                result.destinationAddress(), result.addressFamily(), result.protocol(), result.startedAt(),
                result.timingsMicros(), summary + " (cut down from " + bytes.length + " bytes, evidence dropped: over the "
                + Wire.MAX_MESSAGE_BYTES + "-byte message limit)", null);
        return Wire.encode(slim);
    }

    /** The spooled results, oldest first. */
    public List<Path> pending() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the result spool " + dir + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return files;
    }

    /** The bytes of a spooled result, or null when it has meanwhile been delivered or evicted. */
    public byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spooled result " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes a delivered result. */
    public void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete delivered result %s: %s (it will be sent again; ingest drops the duplicate)",
                    file, e.getMessage());
        }
    }

    /** How many results were dropped because the spool was full, since start. */
    public long evicted() {
        return evicted.get();
    }

    private void makeRoom(long incoming) {
        List<Path> files = pending();
        long bytes = 0;
        for (Path f : files) {
            bytes += sizeOf(f);
        }
        int i = 0;
        while (i < files.size() && (files.size() - i >= maxFiles || bytes + incoming > maxBytes)) {
            Path oldest = files.get(i++);
            bytes -= sizeOf(oldest);
            delete(oldest);
            long n = evicted.incrementAndGet();
            LOG.warnf("result spool %s is full (%d files, %d bytes max): evicted the oldest result %s (%d evicted so far)",
                    dir, maxFiles, maxBytes, oldest.getFileName(), n);
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }
}
