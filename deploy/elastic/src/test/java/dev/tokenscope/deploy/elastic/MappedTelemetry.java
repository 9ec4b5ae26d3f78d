package dev.tokenscope.deploy.elastic;

import java.util.ArrayList;
import java.util.List;

/** {@link TelemetryUnderTest} after the APM mapping: the documents Kibana would query. */
final class MappedTelemetry {

  static final List<ApmDocument> TRACES = ApmMapping.traces(TelemetryUnderTest.get().spans());
  static final List<ApmDocument> METRICS = ApmMapping.metrics(TelemetryUnderTest.get().metrics());

  /** All documents whose index a data view (or index pattern) title matches. */
  static List<ApmDocument> matching(String title) {
    List<ApmDocument> documents = new ArrayList<>();
    for (List<ApmDocument> source : List.of(TRACES, METRICS)) {
      for (ApmDocument doc : source) {
        if (SavedObjects.matchesTitle(title, doc.index())) {
          documents.add(doc);
        }
      }
    }
    return documents;
  }

  private MappedTelemetry() {}
}
