package io.flywheel.httpapi;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** A successful response body, written once the operation completes. */
@FunctionalInterface
interface JsonResponse {
  JsonResponse EMPTY = g -> {
    g.writeStartObject();
    g.writeEndObject();
  };

  void write(JsonGenerator g) throws IOException;
}
