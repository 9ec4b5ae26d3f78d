package dev.tokenscope.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a fresh JVM on the test's class path: for what a JVM reads or does
 * once (a system property read when a class loads, shutdown hooks at exit), which a test in the
 * shared surefire JVM cannot see as a first time.
 */
public final class FreshJvm {

  private FreshJvm() {}

  /**
   * Runs {@code main} with {@code jvmOptions} before the class name and {@code args} after it, and
   * returns what it printed (standard output and error together).
   *
   * @throws AssertionError when it has not exited within a minute, or exited with a status other
   *     than 0 (the message holds its output)
   */
  public static String run(Class<?> main, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    // Output goes to a file, not a pipe: a child that prints more than the pipe holds (~64 KB)
    // would otherwise block on its write while this thread waits for it to exit.
    Path outputFile = Files.createTempFile("fresh-jvm-", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(outputFile.toFile())
              .start();
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            main.getName() + " has not exited within 60 s:\n" + read(outputFile));
      }
      String output = read(outputFile);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            main.getName() + " exited with " + process.exitValue() + ":\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(outputFile);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
