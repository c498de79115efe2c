package ghn4j.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.awt.image.RenderedImage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Turns notebook values into Jupyter display data.
 *
 * <p>The user's libraries (XChart, Tablesaw, DJL, ghn4j) are added at run time with {@code %jars},
 * so the kernel has no compile-time dependency on them: charts and tables are recognised by class
 * name and rendered through reflection on the value's own class loader. Everything else goes to the
 * base kernel's {@link Renderer} (images as PNG, text).
 *
 * <ul>
 *   <li>{@code org.knowm.xchart.internal.chartpart.Chart} subclasses: {@code image/png} through
 *       {@code BitmapEncoder.getBitmapBytes(chart, PNG)};
 *   <li>{@code tech.tablesaw.api.Table}: {@code text/html}, the first {@value #MAX_TABLE_ROWS}
 *       rows;
 *   <li>{@link java.awt.image.RenderedImage}: {@code image/png} (base kernel);
 *   <li>{@link DisplayData}: as is (what {@code markdown(...)}, {@code html(...)} and {@code
 *       render(...)} return).
 * </ul>
 */
final class Rendering {
  static final int MAX_TABLE_ROWS = 50;
  private static final String CHART_CLASS = "org.knowm.xchart.internal.chartpart.Chart";
  private static final String TABLE_CLASS = "tech.tablesaw.api.Table";

  private final Renderer renderer;

  Rendering(Renderer renderer) {
    this.renderer = renderer;
  }

  /**
   * Renders a value; with mime types given, only those (as the base renderer understands them:
   * "image/png", "text/html", "image/*" ...).
   */
  DisplayData render(Object value, String... mimeTypes) {
    boolean all = mimeTypes == null || mimeTypes.length == 0;
    if (value instanceof DisplayData data) {
      return all ? data : filter(data, mimeTypes);
    }
    if (value != null && extendsClass(value.getClass(), CHART_CLASS)) {
      DisplayData data = new DisplayData(describe(value));
      if (all || wants(mimeTypes, MIMEType.IMAGE_PNG)) {
        data.putData(MIMEType.IMAGE_PNG, Base64.getEncoder().encodeToString(chartPng(value)));
      }
      return data;
    }
    if (value != null && extendsClass(value.getClass(), TABLE_CLASS)) {
      DisplayData data = new DisplayData(String.valueOf(value));
      if (all || wants(mimeTypes, MIMEType.TEXT_HTML)) {
        data.putHTML(tableHtml(value));
      }
      return data;
    }
    DisplayData data = all ? renderer.render(value) : renderer.renderAs(value, mimeTypes);
    if (value instanceof RenderedImage image && data.hasDataForType(MIMEType.TEXT_PLAIN)) {
      // the base renderer's text is the image's long toString()
      data.putText(
          value.getClass().getSimpleName() + " " + image.getWidth() + "x" + image.getHeight());
    }
    return data;
  }

  /** A markdown display object (with the source as its plain-text form). */
  static DisplayData markdown(String markdown) {
    DisplayData data = new DisplayData(markdown);
    data.putMarkdown(markdown);
    return data;
  }

  /** An HTML display object (with the source as its plain-text form). */
  static DisplayData html(String html) {
    DisplayData data = new DisplayData(html);
    data.putHTML(html);
    return data;
  }

  private static DisplayData filter(DisplayData data, String... mimeTypes) {
    DisplayData out = new DisplayData();
    for (String type : mimeTypes) {
      MIMEType mime = MIMEType.parse(type);
      if (data.hasDataForType(mime)) {
        out.putData(mime, data.getData(mime));
      }
    }
    return out;
  }

  private static boolean wants(String[] mimeTypes, MIMEType type) {
    for (String requested : mimeTypes) {
      MIMEType mime = MIMEType.parse(requested);
      if (mime.isWildcard()
          || (mime.groupEquals(type.getGroup())
              && (mime.subtypeIsWildcard() || mime.subtypeEquals(type.getSubtype())))) {
        return true;
      }
    }
    return false;
  }

  private static boolean extendsClass(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Object chart) {
    String size = "";
    try {
      Object w = chart.getClass().getMethod("getWidth").invoke(chart);
      Object h = chart.getClass().getMethod("getHeight").invoke(chart);
      size = " " + w + "x" + h;
    } catch (ReflectiveOperationException | RuntimeException ignored) {
      // size is decoration only
    }
    return chart.getClass().getSimpleName() + size;
  }

  /**
   * PNG bytes of an XChart chart, through {@code org.knowm.xchart.BitmapEncoder} of the chart's
   * class loader.
   */
  static byte[] chartPng(Object chart) {
    ClassLoader loader = chart.getClass().getClassLoader();
    try {
      Class<?> chartType = Class.forName(CHART_CLASS, false, loader);
      Class<?> encoder = Class.forName("org.knowm.xchart.BitmapEncoder", true, loader);
      @SuppressWarnings({"unchecked", "rawtypes"})
      Object png =
          Enum.valueOf(
              (Class) Class.forName("org.knowm.xchart.BitmapEncoder$BitmapFormat", true, loader),
              "PNG");
      Method bytes = encoder.getMethod("getBitmapBytes", chartType, png.getClass());
      return (byte[]) bytes.invoke(null, chart, png);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "XChart could not draw " + chart.getClass().getName() + ": " + e.getCause(),
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot render "
              + chart.getClass().getName()
              + " as PNG: org.knowm.xchart.BitmapEncoder not usable from its class loader ("
              + e
              + ")",
          e);
    }
  }

  /**
   * An HTML table of a Tablesaw table (first {@value #MAX_TABLE_ROWS} rows), through its public
   * methods.
   */
  static String tableHtml(Object table) {
    try {
      Class<?> type = table.getClass();
      String name = (String) type.getMethod("name").invoke(table);
      @SuppressWarnings("unchecked")
      List<String> columns = (List<String>) type.getMethod("columnNames").invoke(table);
      int rows = (Integer) type.getMethod("rowCount").invoke(table);
      Method cell = type.getMethod("getString", int.class, int.class);
      int shown = Math.min(rows, MAX_TABLE_ROWS);
      StringBuilder html = new StringBuilder(256 + 32 * shown * Math.max(1, columns.size()));
      html.append("<table class=\"dataframe\">");
      if (name != null && !name.isBlank()) {
        html.append("<caption>").append(escape(name)).append("</caption>");
      }
      html.append("<thead><tr>");
      for (String column : columns) {
        html.append("<th>").append(escape(column)).append("</th>");
      }
      html.append("</tr></thead><tbody>");
      for (int r = 0; r < shown; r++) {
        html.append("<tr>");
        for (int c = 0; c < columns.size(); c++) {
          html.append("<td>")
              .append(escape(String.valueOf(cell.invoke(table, r, c))))
              .append("</td>");
        }
        html.append("</tr>");
      }
      html.append("</tbody></table>");
      html.append(
          String.format(
              Locale.ROOT,
              "<p>%d rows × %d columns%s</p>",
              rows,
              columns.size(),
              rows > shown ? " (first " + shown + " shown)" : ""));
      return html.toString();
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot render table: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "cannot render " + table.getClass().getName() + " as HTML: " + e, e);
    }
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
