package dev.gollm.processor.deploy;

import java.nio.file.Path;

/** Files of this repository, for tests of what ships beside the code (scripts, deploy files). */
final class RepositoryFiles {
  private RepositoryFiles() {}

  /** The repository root; Surefire runs in the processor module, one level below it. */
  static Path root() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }
}
