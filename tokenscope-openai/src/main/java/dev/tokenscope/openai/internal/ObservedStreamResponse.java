package dev.tokenscope.openai.internal;

import com.openai.core.http.StreamResponse;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/** A synchronous stream whose items, end, failure and closing its observer sees first. */
final class ObservedStreamResponse<T> implements StreamResponse<T> {

  private final StreamResponse<T> delegate;
  private final StreamObserver<T> observer;

  ObservedStreamResponse(StreamResponse<T> delegate, StreamObserver<T> observer) {
    this.delegate = delegate;
    this.observer = observer;
    // A stream the application drops without closing ends its span once it is reclaimed, as the
    // SDK then closes the connection under it.
    StreamObserver.CLEANER.register(this, () -> StreamObserver.safely(observer::onClose));
  }

  @Override
  public Stream<T> stream() {
    Stream<T> source = delegate.stream();
    return StreamSupport.stream(new Observed(source.spliterator()), false).onClose(source::close);
  }

  @Override
  public void close() {
    StreamObserver.safely(observer::onClose);
    delegate.close();
  }

  private final class Observed implements Spliterator<T> {
    private final Spliterator<T> source;

    Observed(Spliterator<T> source) {
      this.source = source;
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
      boolean advanced;
      try {
        advanced =
            source.tryAdvance(
                item -> {
                  StreamObserver.safely(() -> observer.onItem(item));
                  action.accept(item);
                });
      } catch (RuntimeException | Error e) {
        StreamObserver.safely(() -> observer.onError(e));
        throw e;
      }
      if (!advanced) {
        StreamObserver.safely(observer::onEnd);
      }
      return advanced;
    }

    @Override
    public @Nullable Spliterator<T> trySplit() {
      // Sequential only, so that the end of the stream is seen once, after its last item.
      return null;
    }

    @Override
    public long estimateSize() {
      return source.estimateSize();
    }

    @Override
    public int characteristics() {
      return source.characteristics() & ~(Spliterator.SIZED | Spliterator.SUBSIZED);
    }
  }
}
