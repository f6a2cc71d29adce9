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

  private static void panel(StringBuilder svg, Chart.Panel p, int x0, int y0) {
    double left = x0 + LEFT;
    double top = y0 + TOP;
    double w = PANEL_WIDTH - LEFT - RIGHT;
    double h = PANEL_HEIGHT - TOP - BOTTOM;
    svg.append(
        String.format(
            Locale.ROOT,
            "<g>%n<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
            left,
            y0 + 20.0,
            escape(p.title())));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>%n",
            left,
            top,
            w,
            h));
    double xStep = niceStep(p.xMax() / 5);
    for (double v = 0; v <= p.xMax() * 1.0001; v += xStep) {
      double x = left + v / p.xMax() * w;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                  + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
              x,
              top,
              x,
              top + h,
              x,
              top + h + 14,
              number(v)));
    }
    double yStep = niceStep(p.yMax() / 5);
    for (double v = 0; v <= p.yMax() * 1.0001; v += yStep) {
      double y = top + h - v / p.yMax() * h;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                  + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              left,
              y,
              left + w,
              y,
              left - 5,
              y + 4,
              number(v)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
            left + w / 2,
            top + h + 32,
            escape(p.xLabel())));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
            x0 + 16.0,
            top + h / 2,
            escape(p.yLabel())));
    for (Chart.Marker m : p.markers()) {
      if (m.x() < 0 || m.x() > p.xMax()) {
        continue;
      }
      double x = left + m.x() / p.xMax() * w;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\""
                  + " stroke-dasharray=\"2,3\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"#c00\">%s</text>%n",
              x,
              top,
              x,
              top + h,
              x + 3,
              top + 12,
              escape(m.label())));
    }
    int legend = 0;
    // Legend in the lower right corner, wide enough for the longest name (about 6 px a letter).
    int longest = p.series().stream().mapToInt(s -> s.name().length()).max().orElse(0);
    double legendX = left + w - 32 - 6.2 * longest;
    for (Chart.Series s : p.series()) {
      List<String> coords = new ArrayList<>();
      for (Chart.XY point : s.points()) {
        if (point.x() > p.xMax() || Double.isNaN(point.x()) || Double.isNaN(point.y())) {
          continue;
        }
        double y = Math.min(point.y(), p.yMax());
        coords.add(
            String.format(
                Locale.ROOT,
                "%.1f,%.1f",
                left + point.x() / p.xMax() * w,
                top + h - y / p.yMax() * h));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"%s\"/>%n",
              escape(s.color()),
              s.dashed() ? " stroke-dasharray=\"5,4\"" : "",
              String.join(" ", coords)));
      double ly = top + h - 12 - 14 * legend++;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                  + "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n",
              legendX,
              ly - 4,
              legendX + 20,
              ly - 4,
              escape(s.color()),
              s.dashed() ? " stroke-dasharray=\"5,4\"" : "",
              legendX + 25,
              ly,
              escape(s.name())));
    }
    svg.append("</g>\n");
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
