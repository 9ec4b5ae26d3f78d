package dev.tokenscope.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends, replay after a restart, torn and corrupt tails, segment rolling and deletion. */
class IngestJournalTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> replayed(IngestJournal journal, IngestJournal.Position from)
      throws Exception {
    List<String> out = new ArrayList<>();
    journal.replay(
        from,
        e ->
            out.add(
                e.kind()
                    + ":"
                    + e.receivedMillis()
                    + ":"
                    + new String(e.payload(), StandardCharsets.UTF_8)));
    return out;
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void recordsComeBackInOrderAfterRestartFromTheLoadedPosition(@TempDir Path dir) throws Exception {
    List<IngestJournal.Position> ends = new ArrayList<>();
    try (IngestJournal journal = IngestJournal.open(dir, 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        long end = journal.append((byte) 1, 1000 + i, bytes("r" + i), ends::add);
        journal.sync(end);
      }
    }
    try (IngestJournal reopened = IngestJournal.open(dir, 1 << 20)) {
      assertThat(reopened.start().segment()).isEqualTo(ends.get(0).segment() + 1);
      assertThat(replayed(reopened, new IngestJournal.Position(0, 0)))
          .containsExactly("1:1000:r0", "1:1001:r1", "1:1002:r2", "1:1003:r3", "1:1004:r4");
      // Loaded up to the third record: the last two come back.
      assertThat(replayed(reopened, ends.get(2))).containsExactly("1:1003:r3", "1:1004:r4");
      // Records appended now (the new segment) are not replayed by this process.
      reopened.append((byte) 2, 7, bytes("new"), p -> {});
      assertThat(replayed(reopened, ends.get(4))).isEmpty();
      reopened.deleteBefore(reopened.start().segment());
      assertThat(files(dir)).hasSize(1);
    }
  }

  @Test
  void aTornOrCorruptTailEndsItsSegmentOnly(@TempDir Path dir) throws Exception {
    try (IngestJournal journal = IngestJournal.open(dir, 1 << 20)) {
      journal.append((byte) 1, 1, bytes("whole"), p -> {});
      journal.append((byte) 1, 2, bytes("torn-record"), p -> {});
    }
    Path first = files(dir).get(0);
    // Cut the second record short, as a crash mid-write would.
    try (FileChannel c = FileChannel.open(first, StandardOpenOption.WRITE)) {
      c.truncate(c.size() - 4);
    }
    try (IngestJournal second = IngestJournal.open(dir, 1 << 20)) {
      second.append((byte) 1, 3, bytes("after"), p -> {});
      second.append((byte) 1, 4, bytes("flipped"), p -> {});
    }
    Path secondFile = files(dir).get(1);
    // Corrupt the last record's payload: its checksum no longer matches.
    try (FileChannel c = FileChannel.open(secondFile, StandardOpenOption.WRITE)) {
      c.write(ByteBuffer.wrap(bytes("X")), c.size() - 1);
    }
    try (IngestJournal third = IngestJournal.open(dir, 1 << 20)) {
      assertThat(replayed(third, new IngestJournal.Position(0, 0)))
          .containsExactly("1:1:whole", "1:3:after");
    }
  }

  @Test
  void segmentsRollAtTheirSizeAndEveryRecordIsReplayed(@TempDir Path dir) throws Exception {
    byte[] payload = new byte[400];
    try (IngestJournal journal = IngestJournal.open(dir, 1024)) {
      for (int i = 0; i < 10; i++) {
        journal.sync(journal.append((byte) 1, i, payload, p -> {}));
      }
    }
    assertThat(files(dir)).hasSize(5);
    try (IngestJournal reopened = IngestJournal.open(dir, 1024)) {
      assertThat(replayed(reopened, new IngestJournal.Position(0, 0))).hasSize(10);
    }
  }
}
