package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** One API operation. {@code body} is the parsed JSON body (an empty object for GET). */
@FunctionalInterface
public interface Endpoint {
  void handle(ApiCall call, JsonNode body) throws IOException;
}
