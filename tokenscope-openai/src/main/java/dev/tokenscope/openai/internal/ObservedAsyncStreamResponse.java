package dev.tokenscope.openai.internal;

import com.openai.core.http.AsyncStreamResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** An asynchronous stream whose events, end, failure and closing its observer sees first. */
final class ObservedAsyncStreamResponse<T> implements AsyncStreamResponse<T> {

  private final AsyncStreamResponse<T> delegate;
  private final StreamObserver<T> observer;

  ObservedAsyncStreamResponse(AsyncStreamResponse<T> delegate, StreamObserver<T> observer) {
    this.delegate = delegate;
    this.observer = observer;
    // A stream the application drops without closing ends its span once it is reclaimed, as the
    // SDK then closes the connection under it.
    StreamObserver.CLEANER.register(this, () -> StreamObserver.safely(observer::onClose));
  }

  @Override
  public AsyncStreamResponse<T> subscribe(Handler<? super T> handler) {
    delegate.subscribe(new ObservedHandler(handler));
    return this;
  }

  @Override
  public AsyncStreamResponse<T> subscribe(Handler<? super T> handler, Executor executor) {
    delegate.subscribe(new ObservedHandler(handler), executor);
    return this;
  }

  @Override
  public CompletableFuture<Void> onCompleteFuture() {
    return delegate.onCompleteFuture();
  }

  @Override
  public void close() {
    StreamObserver.safely(observer::onClose);
    delegate.close();
  }

  private final class ObservedHandler implements Handler<T> {
    private final Handler<? super T> handler;

    ObservedHandler(Handler<? super T> handler) {
      this.handler = handler;
    }

    @Override
    public void onNext(T item) {
      StreamObserver.safely(() -> observer.onItem(item));
      handler.onNext(item);
    }

    @Override
    public void onComplete(Optional<Throwable> error) {
      StreamObserver.safely(
          () -> {
            if (error.isPresent()) {
              observer.onError(error.get());
            } else {
              observer.onEnd();
            }
          });
      handler.onComplete(error);
    }
  }
}
