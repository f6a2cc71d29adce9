package dev.gollm.devstack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Draws a {@link Chart} as a self-contained SVG document (no scripts, no external resources). */
public final class SvgChart {
  private static final int PANEL_WIDTH = 500;
  private static final int PANEL_HEIGHT = 300;
  private static final int TITLE_HEIGHT = 40;
  private static final int LEFT = 62;
  private static final int RIGHT = 18;
  private static final int TOP = 34;
  private static final int BOTTOM = 48;

  private SvgChart() {}

  /** The chart as SVG text. */
  public static String render(Chart chart) {
    int rows = (chart.panels().size() + 1) / 2;
    int width = PANEL_WIDTH * 2;
    int height = TITLE_HEIGHT + rows * PANEL_HEIGHT;
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width,
                height,
                width,
                height))
        .append(
            String.format(
                Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height))
        .append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"26\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                12,
                escape(chart.title())));
    for (int i = 0; i < chart.panels().size(); i++) {
      int x0 = (i % 2) * PANEL_WIDTH;
      int y0 = TITLE_HEIGHT + (i / 2) * PANEL_HEIGHT;
      panel(svg, chart.panels().get(i), x0, y0);
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /**
   * Where a panel's plot area lies on the page and how its values map onto it: x from 0 at the left
   * to {@code xMax} at the right, y from 0 at the bottom to {@code yMax} at the top.
   */
  record PlotArea(double left, double top, double width, double height, double xMax, double yMax) {
    /** The plot area of a panel whose top left corner is at ({@code x0}, {@code y0}). */
    static PlotArea of(Chart.Panel p, int x0, int y0) {
      return new PlotArea(
          x0 + LEFT,
          y0 + TOP,
          PANEL_WIDTH - LEFT - RIGHT,
          PANEL_HEIGHT - TOP - BOTTOM,
          p.xMax(),
          p.yMax());
    }

    double x(double value) {
      return left + value / xMax * width;
    }

    double y(double value) {
      return top + height - value / yMax * height;
    }

    double bottom() {
      return top + height;
    }

    double right() {
      return left + width;
    }

    /** The grid values: multiples of a {@link #niceStep} from 0 to at most the end of the axis. */
    static List<Double> ticks(double max) {
      double step = niceStep(max / 5);
      List<Double> ticks = new ArrayList<>();
      for (double v = 0; v <= max * 1.0001; v += step) {
        ticks.add(v);
      }
      return ticks;
    }
  }

  private static void panel(StringBuilder svg, Chart.Panel p, int x0, int y0) {
    PlotArea area = PlotArea.of(p, x0, y0);
    svg.append(
        String.format(
            Locale.ROOT,
            "<g>%n<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
            area.left(),
            y0 + 20.0,
            escape(p.title())));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>%n",
            area.left(),
            area.top(),
            area.width(),
            area.height()));
    grid(svg, area);
    axisLabels(svg, p, area, x0);
    for (Chart.Marker m : p.markers()) {
      marker(svg, m, area);
    }
    // Legend in the lower right corner, wide enough for the longest name (about 6 px a letter).
    int longest = p.series().stream().mapToInt(s -> s.name().length()).max().orElse(0);
    double legendX = area.right() - 32 - 6.2 * longest;
    for (int i = 0; i < p.series().size(); i++) {
      Chart.Series s = p.series().get(i);
      line(svg, s, area);
      legendEntry(svg, s, legendX, area.bottom() - 12 - 14 * i);
    }
    svg.append("</g>\n");
  }

  /** Vertical and horizontal grid lines with their values under and left of the plot area. */
  private static void grid(StringBuilder svg, PlotArea area) {
    for (double v : PlotArea.ticks(area.xMax())) {
      double x = area.x(v);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                  + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
              x,
              area.top(),
              x,
              area.bottom(),
              x,
              area.bottom() + 14,
              number(v)));
    }
    for (double v : PlotArea.ticks(area.yMax())) {
      double y = area.y(v);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                  + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              area.left(),
              y,
              area.right(),
              y,
              area.left() - 5,
              y + 4,
              number(v)));
    }
  }

  private static void axisLabels(StringBuilder svg, Chart.Panel p, PlotArea area, int x0) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
            area.left() + area.width() / 2,
            area.bottom() + 32,
            escape(p.xLabel())));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
            x0 + 16.0,
            area.top() + area.height() / 2,
            escape(p.yLabel())));
  }

  /** A dashed red vertical line with its label; nothing when it lies outside the x axis. */
  private static void marker(StringBuilder svg, Chart.Marker m, PlotArea area) {
    if (m.x() < 0 || m.x() > area.xMax()) {
      return;
    }
    double x = area.x(m.x());
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\""
                + " stroke-dasharray=\"2,3\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"#c00\">%s</text>%n",
            x,
            area.top(),
            x,
            area.bottom(),
            x + 3,
            area.top() + 12,
            escape(m.label())));
  }

  /** The series as a polyline: points beyond the x axis or unknown are left out, y is capped. */
  private static void line(StringBuilder svg, Chart.Series s, PlotArea area) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"%s\"/>%n",
            escape(s.color()),
            s.dashed() ? " stroke-dasharray=\"5,4\"" : "",
            String.join(" ", coordinates(s, area))));
  }

  /** The page coordinates ("x,y") of the series' points that can be drawn. */
  static List<String> coordinates(Chart.Series s, PlotArea area) {
    List<String> coords = new ArrayList<>();
    for (Chart.XY point : s.points()) {
      if (point.x() > area.xMax() || Double.isNaN(point.x()) || Double.isNaN(point.y())) {
        continue;
      }
      coords.add(
          String.format(
              Locale.ROOT,
              "%.1f,%.1f",
              area.x(point.x()),
              area.y(Math.min(point.y(), area.yMax()))));
    }
    return coords;
  }

  private static void legendEntry(StringBuilder svg, Chart.Series s, double x, double y) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                + "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n",
            x,
            y - 4,
            x + 20,
            y - 4,
            escape(s.color()),
            s.dashed() ? " stroke-dasharray=\"5,4\"" : "",
            x + 25,
            y,
            escape(s.name())));
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double residual = raw / magnitude;
    double nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
    return nice * magnitude;
  }

  private static String number(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "");
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
