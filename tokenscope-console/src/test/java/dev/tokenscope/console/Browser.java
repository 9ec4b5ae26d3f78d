package dev.tokenscope.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium driven by ChromeDriver, both from fixed paths (no Selenium Manager, no
 * downloads). Missing Chromium fails the test under CI and skips it, loudly, elsewhere.
 */
final class Browser {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private Browser() {}

  static WebDriver start(Path userDataDir) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String message =
          "Chromium or ChromeDriver missing ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "): install Debian's chromium and chromium-driver packages (.ci/run does)";
      if (System.getenv("CI") != null) {
        Assertions.fail(message);
      }
      System.err.println("\n*** SKIPPING BROWSER TESTS: " + message + " ***\n");
      Assumptions.abort(message);
    }
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--hide-scrollbars",
        "--window-size=1600,1000",
        "--user-data-dir=" + userDataDir.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return driver;
  }

  /** Saves a full-page screenshot under target/screenshots. */
  static Path screenshot(WebDriver driver, String name, int height) throws IOException {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1600, height));
    File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Path target = dir.resolve(name + ".png");
    Files.copy(png.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return target;
  }
}
