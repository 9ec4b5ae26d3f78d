package dev.tokenscope.openai.internal;

import com.openai.core.Sleeper;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The SDK waits through its {@link Sleeper} once before each retry, so counting the waits of a call
 * counts its resends. The call is found in the current context, which a synchronous call has on the
 * caller's thread. (Asynchronous calls are sent from {@code ForkJoinPool.commonPool()} without it;
 * should a later SDK carry the context there, the wait completes in it, so that the resend it
 * triggers and the next wait are counted too.)
 */
final class CountingSleeper implements Sleeper {

  private static final Executor DIRECT = Runnable::run;

  private final Sleeper delegate;

  CountingSleeper(Sleeper delegate) {
    this.delegate = delegate;
  }

  @Override
  public void sleep(Duration duration) {
    OpenAiCall call = OpenAiCall.current();
    if (call != null) {
      call.resent();
    }
    delegate.sleep(duration);
  }

  @Override
  public CompletableFuture<Void> sleepAsync(Duration duration) {
    Context context = Context.current();
    OpenAiCall call = context.get(OpenAiCall.KEY);
    if (call == null) {
      return delegate.sleepAsync(duration);
    }
    call.resent();
    return delegate.sleepAsync(duration).thenApplyAsync(done -> done, context.wrap(DIRECT));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
