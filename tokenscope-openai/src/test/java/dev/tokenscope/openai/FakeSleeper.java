package dev.tokenscope.openai;

import com.openai.core.Sleeper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Retry backoffs that take no time, so retry scenarios stay fast. */
final class FakeSleeper implements Sleeper {

  @Override
  public void sleep(Duration duration) {}

  @Override
  public CompletableFuture<Void> sleepAsync(Duration duration) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}
}
