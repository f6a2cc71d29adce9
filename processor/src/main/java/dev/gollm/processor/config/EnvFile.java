package dev.gollm.processor.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads files of KEY=VALUE lines as .env files are written: blank lines and # comments are skipped,
 * "export " before a key is allowed, values may be 'single-quoted' (taken literally) or
 * "double-quoted" (with \" \\ \n \t \r escapes), and an unquoted value ends at " #". A key given
 * twice keeps its last value, as in a shell. No variable expansion.
 */
final class EnvFile {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern EXPORT = Pattern.compile("export\\s+");

  /** One assignment and the line it is on (1-based). */
  record Entry(String key, String value, int line) {}

  /** The assignments by key, in file order, and the lines that could not be read. */
  record Parsed(Map<String, Entry> entries, List<ConfigProblem> problems) {}

  /** A line that is not a valid assignment; the message says why. */
  private static final class MalformedLine extends Exception {
    MalformedLine(String message) {
      super(message);
    }
  }

  private EnvFile() {}

  /** Reads and parses {@code file}; {@code label} names it in problems. */
  static Parsed read(Path file, String label) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      return failed(label, "cannot read the file: it is not UTF-8 text");
    } catch (NoSuchFileException e) {
      return failed(label, "cannot read the file: it does not exist");
    } catch (AccessDeniedException e) {
      return failed(label, "cannot read the file: permission denied");
    } catch (IOException e) {
      return failed(label, "cannot read the file: " + e);
    }
    return parse(content, label);
  }

  private static Parsed failed(String label, String detail) {
    return new Parsed(Map.of(), List.of(new ConfigProblem(label, detail)));
  }

  static Parsed parse(String content, String label) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    String[] lines =
        content.startsWith("\uFEFF")
            ? content.substring(1).split("\\R", -1)
            : content.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        Entry entry = parseLine(line, number);
        entries.remove(entry.key()); // keep file order of the last assignment
        entries.put(entry.key(), entry);
      } catch (MalformedLine e) {
        problems.add(new ConfigProblem(label + " line " + number, e.getMessage()));
      }
    }
    return new Parsed(entries, problems);
  }

  private static Entry parseLine(String line, int number) throws MalformedLine {
    var export = EXPORT.matcher(line);
    String assignment = export.lookingAt() ? line.substring(export.end()) : line;
    int equals = assignment.indexOf('=');
    if (equals < 0) {
      throw new MalformedLine(
          ConfigProblem.quote(line)
              + " is not an assignment; expected KEY=VALUE, a # comment or a blank line");
    }
    String key = assignment.substring(0, equals).strip();
    if (!KEY.matcher(key).matches()) {
      throw new MalformedLine(
          ConfigProblem.quote(key)
              + " is not a valid key; expected letters, digits and _ (not starting with a digit)");
    }
    String rest = assignment.substring(equals + 1).stripLeading();
    return new Entry(key, value(rest, key), number);
  }

  private static String value(String rest, String key) throws MalformedLine {
    if (rest.startsWith("'")) {
      int close = rest.indexOf('\'', 1);
      if (close < 0) {
        throw new MalformedLine(key + ": the single quote is not closed on this line");
      }
      requireOnlyComment(rest.substring(close + 1), key);
      return rest.substring(1, close);
    }
    if (rest.startsWith("\"")) {
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < rest.length(); i++) {
        char c = rest.charAt(i);
        if (c == '"') {
          requireOnlyComment(rest.substring(i + 1), key);
          return out.toString();
        }
        if (c == '\\' && i + 1 < rest.length()) {
          char next = rest.charAt(++i);
          switch (next) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case '"', '\\', '$' -> out.append(next);
            default -> out.append('\\').append(next);
          }
        } else {
          out.append(c);
        }
      }
      throw new MalformedLine(key + ": the double quote is not closed on this line");
    }
    int comment = indexOfComment(rest);
    return (comment < 0 ? rest : rest.substring(0, comment)).stripTrailing();
  }

  /** Where an inline comment starts in an unquoted value: a # after whitespace. */
  private static int indexOfComment(String value) {
    for (int i = 1; i < value.length(); i++) {
      if (value.charAt(i) == '#' && Character.isWhitespace(value.charAt(i - 1))) {
        return i;
      }
    }
    return -1;
  }

  private static void requireOnlyComment(String afterQuote, String key) throws MalformedLine {
    String rest = afterQuote.strip();
    if (!rest.isEmpty() && !rest.startsWith("#")) {
      throw new MalformedLine(
          key + ": unexpected " + ConfigProblem.quote(rest) + " after the closing quote");
    }
  }
}
