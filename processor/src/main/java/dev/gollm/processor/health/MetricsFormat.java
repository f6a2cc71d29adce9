package dev.gollm.processor.health;

import java.util.Locale;

/** The formats /metrics can answer in, chosen from the request's Accept header. */
enum MetricsFormat {
  /** The original processor's JSON figures. */
  JSON("application/json"),
  /** Prometheus text exposition format 0.0.4. */
  PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
  /** OpenMetrics text 1.0, which Prometheus asks for first when scraping. */
  OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

  private final String contentType;

  MetricsFormat(String contentType) {
    this.contentType = contentType;
  }

  String contentType() {
    return contentType;
  }

  /**
   * The format for an Accept header: a Prometheus format only when the header names one (text/plain
   * or application/openmetrics-text) with a higher preference than application/json; otherwise
   * JSON, so browsers and plain curl get what the original processor served.
   */
  static MetricsFormat forAccept(String accept) {
    if (accept == null || accept.isBlank()) {
      return JSON;
    }
    double json = 0;
    double text = 0;
    double openMetrics = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].strip().toLowerCase(Locale.ROOT);
      double q = quality(parts);
      switch (type) {
        case "application/json" -> json = Math.max(json, q);
        case "text/plain" -> text = Math.max(text, q);
        case "application/openmetrics-text" -> openMetrics = Math.max(openMetrics, q);
        default -> {}
      }
    }
    double prometheus = Math.max(text, openMetrics);
    if (prometheus == 0 || json >= prometheus) {
      return JSON;
    }
    return openMetrics >= text ? OPENMETRICS : PROMETHEUS_TEXT;
  }

  /** The q parameter of a media range; 1 when absent, 0 when malformed. */
  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip();
      if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
        try {
          double q = Double.parseDouble(parameter.substring(2).strip());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
