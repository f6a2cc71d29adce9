package dev.gollm.processor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.processor.Version;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Kubernetes manifests hang together: the image is the one the README builds, the Service
 * reaches the pods' health port, and Prometheus (annotations, ServiceMonitor) scrapes that port at
 * the path that always answers its format.
 */
class KubernetesManifestTest {
  private static final String IMAGE = "go-llm-processor:" + Version.current();
  private static JsonNode deployment;
  private static JsonNode service;
  private static JsonNode serviceMonitor;

  @BeforeAll
  static void readManifests() throws Exception {
    List<JsonNode> documents = new ArrayList<>(documents("deploy/k8s/deployment.yaml"));
    documents.addAll(documents("deploy/k8s/servicemonitor.yaml"));
    deployment = ofKind(documents, "Deployment");
    service = ofKind(documents, "Service");
    serviceMonitor = ofKind(documents, "ServiceMonitor");
  }

  @Test
  void theDeploymentRunsTheImageTheReadmeAndTheDockerfileBuild() throws Exception {
    assertThat(container().path("image").asString()).isEqualTo(IMAGE);
    String build = "docker build -t " + IMAGE + " .";
    assertThat(Files.readString(RepositoryFiles.file("README.md"))).contains(build);
    assertThat(Files.readString(RepositoryFiles.file("Dockerfile"))).contains(build);
  }

  @Test
  void theServiceSelectsThePodsAndTargetsTheirHealthPort() {
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    service
        .at("/spec/selector")
        .properties()
        .forEach(
            label ->
                assertThat(podLabels.path(label.getKey()).asString())
                    .as("pod label %s", label.getKey())
                    .isEqualTo(label.getValue().asString()));
    JsonNode servicePort = service.at("/spec/ports/0");
    assertThat(servicePort.path("targetPort").asString())
        .isEqualTo(healthPort().path("name").asString());
  }

  @Test
  void thePodAnnotationsPointPrometheusAtTheHealthPortAndThePrometheusPath() {
    JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
    assertThat(annotations.path("prometheus.io/scrape").asString()).isEqualTo("true");
    assertThat(annotations.path("prometheus.io/port").asString())
        .isEqualTo(healthPort().path("containerPort").asString());
    assertThat(annotations.path("prometheus.io/path").asString()).isEqualTo("/metrics/prometheus");
  }

  @Test
  void theServiceMonitorScrapesTheServicesHealthPortAtThePrometheusPath() {
    serviceMonitor
        .at("/spec/selector/matchLabels")
        .properties()
        .forEach(
            label ->
                assertThat(service.at("/metadata/labels").path(label.getKey()).asString())
                    .as("service label %s", label.getKey())
                    .isEqualTo(label.getValue().asString()));
    JsonNode endpoint = serviceMonitor.at("/spec/endpoints/0");
    assertThat(endpoint.path("port").asString())
        .isEqualTo(service.at("/spec/ports/0/name").asString());
    assertThat(endpoint.path("path").asString()).isEqualTo("/metrics/prometheus");
  }

  private static JsonNode container() {
    return deployment.at("/spec/template/spec/containers/0");
  }

  private static JsonNode healthPort() {
    for (JsonNode port : container().path("ports")) {
      if (port.path("name").asString().equals("health")) {
        return port;
      }
    }
    throw new AssertionError("the container has no port named health");
  }

  private static List<JsonNode> documents(String relative) throws Exception {
    try (MappingIterator<JsonNode> it =
        new YAMLMapper()
            .readerFor(JsonNode.class)
            .readValues(RepositoryFiles.file(relative).toFile())) {
      return it.readAll();
    }
  }

  private static JsonNode ofKind(List<JsonNode> documents, String kind) {
    List<JsonNode> found =
        documents.stream().filter(d -> d.path("kind").asString().equals(kind)).toList();
    assertThat(found).as("one %s", kind).hasSize(1);
    return found.getFirst();
  }
}
