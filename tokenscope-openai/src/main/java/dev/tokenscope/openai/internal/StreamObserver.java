package dev.tokenscope.openai.internal;

import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import java.lang.ref.Cleaner;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a call's telemetry does as the application reads a streamed reply. Each callback is called
 * at most as the stream dictates and must not throw; {@link #safely} guards the application from
 * one that does.
 */
interface StreamObserver<T> {

  /** An item the application is about to get. */
  void onItem(T item);

  /** The server ended the stream. */
  void onEnd();

  /** Reading failed (the connection was cut, an error event, a malformed chunk). */
  void onError(Throwable error);

  /**
   * The application closed the stream, possibly before its end, or dropped it unclosed and the
   * runtime reclaimed it.
   */
  void onClose();

  Logger LOGGER = Logger.getLogger(StreamObserver.class.getName());

  /** Ends the spans of streams that were dropped unclosed. */
  Cleaner CLEANER = Cleaner.create();

  /**
   * {@code stream}, a {@code StreamResponse} or an {@code AsyncStreamResponse} of {@code T}, with
   * {@code observer} watching it.
   */
  @SuppressWarnings("unchecked")
  static <T> Object observe(Object stream, StreamObserver<T> observer) {
    if (stream instanceof StreamResponse<?> sync) {
      return new ObservedStreamResponse<>((StreamResponse<T>) sync, observer);
    }
    return new ObservedAsyncStreamResponse<>((AsyncStreamResponse<T>) stream, observer);
  }

  /** Runs a telemetry step; a failure is logged and never reaches the application's read. */
  static void safely(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOGGER.log(Level.FINE, "TokenScope: recording a streamed reply failed", e);
    }
  }
}
