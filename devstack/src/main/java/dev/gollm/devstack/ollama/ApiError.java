package dev.gollm.devstack.ollama;

/** An error answer of the simulated API: an HTTP status and Ollama's message for it. */
final class ApiError extends RuntimeException {
  /** Ollama's queue-full message (two spaces after the period, as Ollama sends it). */
  static final String BUSY = "server busy, please try again.  maximum pending requests exceeded";

  private final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  static ApiError modelNotFound(String model) {
    return new ApiError(404, "model \"" + model + "\" not found, try pulling it first");
  }

  static ApiError busy() {
    return new ApiError(503, BUSY);
  }

  /** The OpenAI error type for this status, as Ollama's compatibility layer names it. */
  String openAiType() {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 404 -> "not_found_error";
      default -> "api_error";
    };
  }
}
