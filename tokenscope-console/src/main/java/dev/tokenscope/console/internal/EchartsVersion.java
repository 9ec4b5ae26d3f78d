package dev.tokenscope.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the ECharts WebJar on the class path, read from its Maven metadata. */
final class EchartsVersion {

  static final String VERSION = read();

  private EchartsVersion() {}

  private static String read() {
    try (InputStream in =
        EchartsVersion.class.getResourceAsStream(
            "/META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the ECharts WebJar (org.webjars.npm:echarts) is missing");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the ECharts WebJar version", e);
    }
  }
}
