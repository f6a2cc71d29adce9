package dev.gollm.devstack.bench;

import java.util.List;

/**
 * A set of line-chart panels, drawn by {@link SvgChart}.
 *
 * @param title the heading above every panel
 * @param panels the panels, laid out two to a row
 */
public record Chart(String title, List<Panel> panels) {

  /** A point of a series. */
  public record XY(double x, double y) {}

  /**
   * One line.
   *
   * @param name legend text
   * @param color an SVG colour
   * @param dashed drawn dashed (for ideals and references)
   * @param points in drawing order
   */
  public record Series(String name, String color, boolean dashed, List<XY> points) {}

  /**
   * A vertical reference line, e.g. a target.
   *
   * @param x where
   * @param label text next to it
   */
  public record Marker(double x, String label) {}

  /**
   * One panel with its own axes, both starting at 0.
   *
   * @param title heading of the panel
   * @param xLabel x-axis label with unit
   * @param yLabel y-axis label with unit
   * @param xMax right end of the x axis (points beyond are cut off)
   * @param yMax top of the y axis
   * @param series the lines
   * @param markers vertical reference lines
   */
  public record Panel(
      String title,
      String xLabel,
      String yLabel,
      double xMax,
      double yMax,
      List<Series> series,
      List<Marker> markers) {
    public Panel {
      if (!(xMax > 0) || !(yMax > 0)) {
        throw new IllegalArgumentException(
            "panel " + title + ": axes need positive ends, got x " + xMax + ", y " + yMax);
      }
    }
  }

  /** The empirical distribution function of a sample as a step line: (value, share at or below). */
  public static List<XY> cdf(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    java.util.List<XY> points = new java.util.ArrayList<>(sorted.length * 2 + 1);
    points.add(new XY(0, 0));
    for (int i = 0; i < sorted.length; i++) {
      points.add(new XY(sorted[i], (double) i / sorted.length));
      points.add(new XY(sorted[i], (double) (i + 1) / sorted.length));
    }
    return points;
  }
}
