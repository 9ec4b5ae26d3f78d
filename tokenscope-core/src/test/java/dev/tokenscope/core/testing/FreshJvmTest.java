package dev.tokenscope.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FreshJvmTest {

  /** Prints more than an OS pipe buffers (~64 KB) to both streams, then exits with args[0]. */
  static final class Chatty {
    public static void main(String[] args) {
      String line = "x".repeat(99);
      for (int i = 0; i < 2_000; i++) {
        System.out.println(line);
        System.err.println(line);
      }
      System.out.println("done");
      System.exit(Integer.parseInt(args[0]));
    }
  }

  @Test
  void returnsEverythingAChildPrintsBeyondAPipesCapacity() throws Exception {
    String output = FreshJvm.run(Chatty.class, List.of(), "0");

    assertThat(output.lines().filter(l -> l.length() == 99)).hasSize(4_000);
    assertThat(output).endsWith("done" + System.lineSeparator());
  }

  @Test
  void aNonZeroExitFailsWithTheChildsOutput() {
    assertThatThrownBy(() -> FreshJvm.run(Chatty.class, List.of(), "3"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("exited with 3")
        .hasMessageContaining("done");
  }
}
