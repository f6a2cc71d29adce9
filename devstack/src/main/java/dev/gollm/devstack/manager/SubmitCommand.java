package dev.gollm.devstack.manager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code devstack submit}: creates tasks on a devstack manager through its {@code POST
 * /api/internal/submit} extension and prints their ids, one per line.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Creates tasks on a devstack manager (POST /api/internal/submit) and prints",
      "their ids, one per line. Tasks come from the arguments, or from --file with",
      "one task per line: plain text, or a JSON object with product_data, priority,",
      "ollama_params, max_retries and user_id.",
      ""
    })
public final class SubmitCommand implements Callable<Integer> {
  private static final int TASKS_PER_REQUEST = 500;

  /** The most of an unexpected answer's body shown in an error line. */
  private static final int EXCERPT_CHARS = 120;

  @Option(
      names = "--manager",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8080",
      description = {"Base URL of the manager.", "Default: ${DEFAULT-VALUE}."})
  URI manager;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      defaultValue = "${env:INTERNAL_API_KEY:-" + ManagerOptions.DEFAULT_API_KEY + "}",
      description = {
        "The manager's INTERNAL_API_KEY.",
        "Default: $INTERNAL_API_KEY or " + ManagerOptions.DEFAULT_API_KEY + "."
      })
  String apiKey;

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description = {"Read tasks from FILE, one per line;", "- reads standard input."})
  Path file;

  @Option(
      names = "--priority",
      paramLabel = "N",
      defaultValue = "0",
      description = "Priority of the tasks (higher first). Default: 0.")
  int priority;

  @Option(
      names = "--params",
      paramLabel = "JSON",
      description = {
        "The tasks' ollama_params, a JSON object,",
        "e.g. '{\"model\":\"gemma3:1b\"}'."
      })
  String params;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      description = "max_retries of the tasks. Default: 3.")
  Integer maxRetries;

  @Option(
      names = "--user-id",
      paramLabel = "ID",
      description = "user_id of the tasks. Default: devstack.")
  String userId;

  @Parameters(paramLabel = "TEXT", description = "Input texts, one task each.")
  List<String> texts = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    JsonNode paramsNode = parseParams();
    List<ObjectNode> tasks = new ArrayList<>();
    for (String text : texts) {
      tasks.add(plainTask(text, paramsNode));
    }
    if (file != null) {
      readFile(paramsNode, tasks);
    }
    if (tasks.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "no tasks: give texts as arguments or --file");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      for (int from = 0; from < tasks.size(); from += TASKS_PER_REQUEST) {
        List<ObjectNode> chunk =
            tasks.subList(from, Math.min(tasks.size(), from + TASKS_PER_REQUEST));
        for (JsonNode id : send(client, WireJson.array(chunk))) {
          out.println(id.stringValue());
        }
      }
    } catch (IOException e) {
      out.flush();
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: " + e.getMessage());
      err.flush();
      return 1;
    }
    out.flush();
    return 0;
  }

  private JsonNode parseParams() {
    if (params == null) {
      return null;
    }
    try {
      return RequestBody.firstValue(WireJson.utf8(OllamaParams.normalize(params)));
    } catch (IllegalArgumentException | InvalidJsonException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--params: " + e.getMessage());
    }
  }

  private ObjectNode plainTask(String text, JsonNode paramsNode) {
    ObjectNode task = WireJson.NODES.objectNode();
    task.put("product_data", text);
    return withDefaults(task, paramsNode);
  }

  private ObjectNode withDefaults(ObjectNode task, JsonNode paramsNode) {
    if (!task.has("priority")) {
      task.put("priority", priority);
    }
    if (paramsNode != null && !task.has("ollama_params")) {
      task.set("ollama_params", paramsNode);
    }
    if (maxRetries != null && !task.has("max_retries")) {
      task.put("max_retries", maxRetries.intValue());
    }
    if (userId != null && !task.has("user_id")) {
      task.put("user_id", userId);
    }
    return task;
  }

  private void readFile(JsonNode paramsNode, List<ObjectNode> tasks) throws IOException {
    try (BufferedReader reader =
        file.toString().equals("-")
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        String where = file + ":" + number + ": ";
        if (!trimmed.startsWith("{")) {
          tasks.add(plainTask(line, paramsNode));
          continue;
        }
        try {
          JsonNode parsed = RequestBody.firstValue(WireJson.utf8(trimmed));
          if (!(parsed instanceof ObjectNode object)) {
            throw new CommandLine.ParameterException(
                spec.commandLine(), where + "expected a JSON object");
          }
          ObjectNode task = withDefaults(object, paramsNode);
          InternalApi.newTask(task, where);
          tasks.add(task);
        } catch (InvalidJsonException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), where + e.getMessage());
        } catch (InternalApi.BadRequest e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
      }
    }
  }

  private ArrayNode send(HttpClient client, ArrayNode tasks)
      throws IOException, InterruptedException {
    URI endpoint = URI.create(stripSlash(manager.toString()) + Endpoint.SUBMIT.path());
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(WireJson.MAPPER.writeValueAsBytes(tasks)))
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("could not reach the manager at " + endpoint + ": " + reason(e), e);
    }
    JsonNode body;
    try {
      body = RequestBody.firstValue(WireJson.utf8(response.body()));
    } catch (InvalidJsonException e) {
      body = WireJson.NODES.missingNode();
    }
    if (response.statusCode() != 200 || !(body.get("task_ids") instanceof ArrayNode ids)) {
      String contentType = response.headers().firstValue("Content-Type").orElse("no content type");
      throw new IOException(
          endpoint
              + " answered "
              + response.statusCode()
              + " ("
              + contentType
              + (body.isMissingNode() || response.statusCode() == 200
                  ? "), not a devstack manager's answer (the real manager has no submit): "
                  : "): ")
              + excerpt(response.body()));
    }
    return ids;
  }

  /** The first message in a failure's causes, e.g. "Connection refused". */
  private static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return failure.getClass().getSimpleName();
  }

  /** The start of a body on one line, for an error message. */
  private static String excerpt(String body) {
    String oneLine = body.strip().replaceAll("\\s+", " ");
    if (oneLine.isEmpty()) {
      return "an empty body";
    }
    return oneLine.length() <= EXCERPT_CHARS
        ? oneLine
        : oneLine.substring(0, EXCERPT_CHARS) + "… (" + body.length() + " characters)";
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
