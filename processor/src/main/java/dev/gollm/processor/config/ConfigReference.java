package dev.gollm.processor.config;

import java.util.List;

/** Documentation generated from the variable table: the tables of docs/configuration.md. */
public final class ConfigReference {
  private ConfigReference() {}

  /** Names of every variable in documentation order (aliases excluded). */
  public static List<String> variableNames() {
    return ConfigVariables.ALL.stream().map(Variable::name).toList();
  }

  /**
   * Two Markdown tables, the original processor's variables and ours, each row with the name,
   * default, type and meaning; printed by {@code processor config --markdown}.
   */
  public static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("Variables of the original processor (same names and defaults):\n\n");
    table(out, true);
    out.append("\nVariables added by this implementation:\n\n");
    table(out, false);
    return out.toString();
  }

  private static void table(StringBuilder out, boolean original) {
    out.append("| Variable | Default | Type | Meaning |\n");
    out.append("|---|---|---|---|\n");
    for (Variable<?> variable : ConfigVariables.ALL) {
      if (variable.original() != original) {
        continue;
      }
      String defaultText =
          switch (variable.defaultValue()) {
            case DefaultValue.Literal<?> literal ->
                literal.text().isEmpty() ? "empty" : "`" + literal.text() + "`";
            case DefaultValue.Derived<?> derived -> derived.documentation();
          };
      out.append("| `")
          .append(variable.name())
          .append("` | ")
          .append(cell(defaultText))
          .append(" | ")
          .append(cell(variable.type().kind()))
          .append(" | ")
          .append(cell(variable.description()))
          .append(" |\n");
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
