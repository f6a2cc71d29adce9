package dev.gollm.processor.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsFormatTest {

  @Test
  void prometheusTwoScrapeHeaderGetsOpenMetrics() {
    String accept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
            + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    assertThat(MetricsFormat.forAccept(accept)).isEqualTo(MetricsFormat.OPENMETRICS);
  }

  @Test
  void plainTextRequestGetsPrometheusText() {
    assertThat(MetricsFormat.forAccept("text/plain;version=0.0.4"))
        .isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
    assertThat(MetricsFormat.forAccept("text/plain")).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
  }

  @Test
  void protobufFirstScrapeFallsBackToText() {
    String accept =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    assertThat(MetricsFormat.forAccept(accept)).isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
  }

  @Test
  void browsersCurlAndJsonClientsGetJson() {
    assertThat(MetricsFormat.forAccept(null)).isEqualTo(MetricsFormat.JSON);
    assertThat(MetricsFormat.forAccept("*/*")).isEqualTo(MetricsFormat.JSON);
    assertThat(MetricsFormat.forAccept("application/json")).isEqualTo(MetricsFormat.JSON);
    assertThat(
            MetricsFormat.forAccept(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))
        .isEqualTo(MetricsFormat.JSON);
  }

  @Test
  void preferenceDecidesBetweenJsonAndText() {
    assertThat(MetricsFormat.forAccept("application/json, text/plain;q=0.5"))
        .isEqualTo(MetricsFormat.JSON);
    assertThat(MetricsFormat.forAccept("application/json;q=0.2, text/plain"))
        .isEqualTo(MetricsFormat.PROMETHEUS_TEXT);
    assertThat(MetricsFormat.forAccept("text/plain;q=0")).isEqualTo(MetricsFormat.JSON);
  }
}
