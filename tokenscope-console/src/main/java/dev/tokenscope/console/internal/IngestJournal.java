package dev.tokenscope.console.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The ingest journal: every accepted OTLP request (decoded, as protobuf) is appended here and
 * synced to disk before it is acknowledged; the database writer loads it into DuckDB later, in
 * large transactions, and records in the same transaction how far it got ({@link Position}). After
 * a crash, {@link #replay} hands back every record past that point.
 *
 * <p>Files: {@code <dir>/<segment>.journal}, segment numbers rising. A segment is never appended to
 * after a restart (each start opens a new one), so a torn record can only be a segment's last.
 * Record: payload length (int), CRC-32 of the rest (int), kind (byte), received time (long, ms),
 * payload.
 *
 * <p>Appends are serialised (one lock, in the order they reach the writer queue); syncs are shared:
 * a thread whose record was already covered by another thread's {@code force} returns at once
 * (group commit).
 */
public final class IngestJournal implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(IngestJournal.class.getName());
  private static final String SUFFIX = ".journal";
  private static final int HEADER = 4 + 4 + 1 + 8;

  /** A point in the journal: everything before {@code offset} of {@code segment}. */
  public record Position(long segment, long offset) {
    /** As stored in the database: {@code segment:offset}. */
    @Override
    public String toString() {
      return segment + ":" + offset;
    }

    public static Position parse(String text) {
      int colon = text.indexOf(':');
      return new Position(
          Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    }
  }

  /** One journal record. */
  public record Entry(byte kind, long receivedMillis, byte[] payload, Position end) {}

  private final Path directory;
  private final long segmentBytes;
  private final Object appendLock = new Object();
  private final Object syncLock = new Object();
  // Guarded by appendLock.
  private long segment;
  private FileChannel channel;
  private long offset;
  private long written;
  // Guarded by syncLock (read without it as a fast path).
  private volatile long synced;

  private IngestJournal(Path directory, long segmentBytes, long firstSegment) throws IOException {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.segment = firstSegment;
    this.channel = create(firstSegment);
  }

  /**
   * Opens the journal in {@code directory} (created if needed) for appending to a new segment after
   * every existing one. Existing segments are left for {@link #replay}.
   */
  public static IngestJournal open(Path directory, long segmentBytes) throws IOException {
    Files.createDirectories(directory);
    List<Long> existing = segments(directory);
    long next = existing.isEmpty() ? 1 : existing.get(existing.size() - 1) + 1;
    return new IngestJournal(directory, segmentBytes, next);
  }

  /** The segment new records go to first: everything before it existed when this opened. */
  public Position start() {
    synchronized (appendLock) {
      return new Position(segment, 0);
    }
  }

  /**
   * Reads every complete record after {@code from} in the segments older than the one this journal
   * writes to, oldest first. A torn or corrupt record ends its segment (it can only be the last one
   * a crashed process wrote).
   */
  public void replay(Position from, Consumer<Entry> consumer) throws IOException {
    long current;
    synchronized (appendLock) {
      current = segment;
    }
    for (long s : segments(directory)) {
      if (s < from.segment() || s >= current) {
        continue;
      }
      long skip = s == from.segment() ? from.offset() : 0;
      try (InputStream raw = Files.newInputStream(file(s));
          DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
        long position = 0;
        while (position < skip) {
          long n = in.skip(skip - position);
          if (n <= 0) {
            break;
          }
          position += n;
        }
        while (true) {
          int length;
          try {
            length = in.readInt();
          } catch (EOFException e) {
            break;
          }
          try {
            int crc = in.readInt();
            byte kind = in.readByte();
            long received = in.readLong();
            if (length < 0 || length > (1 << 30)) {
              logger.warning("journal segment " + s + ": bad record length at " + position);
              break;
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (crc != crc(kind, received, payload)) {
              logger.warning("journal segment " + s + ": checksum mismatch at " + position);
              break;
            }
            position += HEADER + length;
            consumer.accept(new Entry(kind, received, payload, new Position(s, position)));
          } catch (EOFException e) {
            logger.info("journal segment " + s + " ends in a torn record at " + position);
            break;
          }
        }
      }
    }
  }

  /**
   * Appends a record and, still holding the append lock, calls {@code enqueue} with its end
   * position (so whatever consumes those positions sees them in journal order). Does not sync.
   *
   * @return the position to pass to {@link #sync}
   */
  public long append(byte kind, long receivedMillis, byte[] payload, Consumer<Position> enqueue)
      throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    header.putInt(payload.length).putInt(crc(kind, receivedMillis, payload));
    header.put(kind).putLong(receivedMillis).flip();
    ByteBuffer body = ByteBuffer.wrap(payload);
    synchronized (appendLock) {
      if (!channel.isOpen()) {
        // An earlier roll failed half-way (disk full?): start afresh.
        segment++;
        offset = 0;
        channel = create(segment);
      }
      if (offset > 0 && offset + HEADER + payload.length > segmentBytes) {
        roll();
      }
      try {
        ByteBuffer[] buffers = {header, body};
        while (body.hasRemaining()) {
          channel.write(buffers);
        }
      } catch (IOException e) {
        // A partial record may be on disk: never append after it.
        roll();
        throw e;
      }
      offset += HEADER + payload.length;
      written += HEADER + payload.length;
      enqueue.accept(new Position(segment, offset));
      return written;
    }
  }

  /** Returns once everything appended up to {@code position} is on disk. */
  public void sync(long position) throws IOException {
    if (synced >= position) {
      return;
    }
    synchronized (syncLock) {
      if (synced >= position) {
        return;
      }
      FileChannel target;
      long upTo;
      synchronized (appendLock) {
        target = channel;
        upTo = written;
      }
      try {
        target.force(false);
      } catch (ClosedChannelException e) {
        // A roll forced and closed it: everything up to upTo is on disk.
      }
      synced = upTo;
    }
  }

  /** Deletes the segments before {@code segment} (all loaded into the database). */
  public void deleteBefore(long segment) {
    try {
      for (long s : segments(directory)) {
        if (s < segment) {
          Files.deleteIfExists(file(s));
        }
      }
    } catch (IOException e) {
      logger.warning("could not delete loaded journal segments: " + e);
    }
  }

  @Override
  public void close() {
    synchronized (appendLock) {
      try {
        channel.force(false);
        channel.close();
      } catch (IOException e) {
        logger.fine("journal close: " + e);
      }
    }
  }

  private void roll() throws IOException {
    FileChannel old = channel;
    try {
      old.force(false);
    } finally {
      old.close();
    }
    segment++;
    offset = 0;
    channel = create(segment);
  }

  private FileChannel create(long s) throws IOException {
    return FileChannel.open(file(s), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  private Path file(long s) {
    return directory.resolve(String.format("%016d", s) + SUFFIX);
  }

  private static List<Long> segments(Path directory) throws IOException {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.forEach(
          p -> {
            String name = p.getFileName().toString();
            if (name.endsWith(SUFFIX)) {
              try {
                out.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
              } catch (NumberFormatException e) {
                // not ours
              }
            }
          });
    }
    out.sort(null);
    return out;
  }

  private static int crc(byte kind, long received, byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(kind);
    for (int i = 7; i >= 0; i--) {
      crc.update((int) (received >>> (i * 8)));
    }
    crc.update(payload);
    return (int) crc.getValue();
  }
}
