// Evaluated in every new JShell session of the ghn4j kernel (one snippet per declaration).
// JShell's default imports (as in the jshell tool), then the notebook functions IJava also provides.
import java.io.*;
import java.math.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.*;
import java.util.prefs.*;
import java.util.regex.*;
import java.util.stream.*;
String display(Object o) { return ghn4j.kernel.Notebook.display(o); }
String display(Object o, String... as) { return ghn4j.kernel.Notebook.display(o, as); }
io.github.spencerpark.jupyter.kernel.display.DisplayData render(Object o) { return ghn4j.kernel.Notebook.render(o); }
io.github.spencerpark.jupyter.kernel.display.DisplayData render(Object o, String... as) { return ghn4j.kernel.Notebook.render(o, as); }
void updateDisplay(String id, Object o) { ghn4j.kernel.Notebook.updateDisplay(id, o); }
void updateDisplay(String id, Object o, String... as) { ghn4j.kernel.Notebook.updateDisplay(id, o, as); }
io.github.spencerpark.jupyter.kernel.display.DisplayData markdown(String md) { return ghn4j.kernel.Notebook.markdown(md); }
io.github.spencerpark.jupyter.kernel.display.DisplayData html(String html) { return ghn4j.kernel.Notebook.html(html); }
