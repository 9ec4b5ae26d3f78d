package dev.tokenscope.console;

import static dev.tokenscope.console.KnownTelemetry.FROM;
import static dev.tokenscope.console.KnownTelemetry.TO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real headless Chromium, over the known data set. */
class DashboardBrowserTest {

  @TempDir static Path profile;
  private static Console console;
  private static WebDriver driver;

  @BeforeAll
  static void start() throws Exception {
    console = KnownTelemetry.startLoaded();
    driver = Browser.start(profile);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (console != null) {
      console.close();
    }
  }

  private static void open(String path) {
    String separator = path.contains("?") ? "&" : "?";
    driver.get(console.uiUrl() + path + separator + "from=" + FROM + "&to=" + TO);
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> d.findElement(By.tagName("body")).getAttribute("data-loaded") != null);
  }

  private static String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> seriesData(String panel, int series) {
    return (List<Object>)
        ((JavascriptExecutor) driver)
            .executeScript(
                "var c = echarts.getInstanceByDom(document.querySelector('#"
                    + panel
                    + " .chart'));"
                    + " return c.getOption().series["
                    + series
                    + "].data.map(function (d) { return d !== null && typeof d === 'object'"
                    + " && !Array.isArray(d) ? d.value : d; });");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> categories(String panel, String axis) {
    return (List<Object>)
        ((JavascriptExecutor) driver)
            .executeScript(
                "var c = echarts.getInstanceByDom(document.querySelector('#"
                    + panel
                    + " .chart')); return c.getOption()."
                    + axis
                    + "[0].data;");
  }

  private static double number(Object value) {
    return ((Number) value).doubleValue();
  }

  @Test
  void dashboardShowsTheRightNumbers() throws Exception {
    open("");
    assertThat(text("#kpi-cost .value"))
        .isEqualTo(String.format("$%.4f", 0.041 + KnownTelemetry.miniCost()));
    assertThat(text("#kpi-calls .value")).isEqualTo("8");
    assertThat(text("#kpi-error-rate .value")).isEqualTo("12.5%");
    assertThat(text("#kpi-unpriced .value")).isEqualTo("1");
    assertThat(text("#kpi-retry-cost .value")).isEqualTo("$0.0150");
    assertThat(text("#kpi-cache-savings .value"))
        .isEqualTo(String.format("$%.4f", KnownTelemetry.claudeSavings()));

    // The eight panels of the reference design, computed correctly.
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> donut =
        (List<Map<String, Object>>)
            ((JavascriptExecutor) driver)
                .executeScript(
                    "return echarts.getInstanceByDom(document.querySelector("
                        + "'#panel-cost-by-model .chart')).getOption().series[0].data;");
    Map<String, Object> gpt4o =
        donut.stream().filter(d -> "gpt-4o".equals(d.get("name"))).findFirst().orElseThrow();
    assertThat(number(gpt4o.get("value"))).isCloseTo(0.031, within(1e-9));

    List<Object> models = categories("panel-error-rate", "xAxis");
    int i = models.indexOf("gpt-4o");
    assertThat(i).isNotNegative();
    assertThat(number(seriesData("panel-error-rate", 0).get(i))).isCloseTo(0.2, within(1e-9));
    assertThat(number(seriesData("panel-latency", 1).get(i))).isCloseTo(1840, within(1e-6));
    assertThat(number(seriesData("panel-latency", 0).get(i))).isCloseTo(1060, within(1e-6));
    assertThat(number(seriesData("panel-token-usage", 0).get(i))).isEqualTo(4100.0);
    assertThat(number(seriesData("panel-token-usage", 1).get(i))).isEqualTo(2050.0);
    assertThat(number(seriesData("panel-io-per-call", 0).get(i))).isCloseTo(820, within(1e-9));
    assertThat(number(seriesData("panel-io-per-call", 1).get(i))).isCloseTo(410, within(1e-9));
    List<Object> perCallModels = categories("panel-cost-per-call", "xAxis");
    assertThat(number(seriesData("panel-cost-per-call", 0).get(perCallModels.indexOf("gpt-4o"))))
        .isCloseTo(0.00775, within(1e-9));
    List<Object> totalModels = categories("panel-total-tokens", "yAxis");
    assertThat(number(seriesData("panel-total-tokens", 0).get(totalModels.indexOf("gpt-4o"))))
        .isEqualTo(6150.0);

    // Where the money went.
    List<Object> workflows = categories("panel-cost-by-workflow", "yAxis");
    assertThat(workflows.get(0)).isEqualTo("menu_design");
    assertThat(number(seriesData("panel-cost-by-workflow", 0).get(0)))
        .isCloseTo(0.04, within(1e-9));
    assertThat(categories("panel-cost-by-endpoint", "yAxis"))
        .contains("POST /menus", "POST /pairings");
    assertThat(text("#spike-headline")).contains("2026-11-24");
    assertThat(text("[data-drivers=by_workflow]")).contains("menu_design");
    assertThat(text("#expensive-traces tbody tr:first-child")).contains("POST /menus", "$0.0225");
    assertThat(text("#retries-table")).contains("refine.task");
    assertThat(text("#unpriced-table")).contains("mystery-model-x-2099");
    assertThat(text("#cache-table")).contains("claude-sonnet-4-5");

    Path shot = Browser.screenshot(driver, "dashboard", 2600);
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }

  @Test
  void filtersNarrowTheDashboard() throws Exception {
    open("?service=pairing-api");
    assertThat(text("#kpi-calls .value")).isEqualTo("3");
    assertThat(driver.findElement(By.id("f-service")).getAttribute("value"))
        .isEqualTo("pairing-api");
  }

  @Test
  void waterfallNestsSpansAndShowsLlmDetails() throws Exception {
    open("trace/" + KnownTelemetry.TRACE_B);
    List<WebElement> rows = driver.findElements(By.cssSelector("#waterfall .wf-row"));
    assertThat(rows).hasSize(7);
    assertThat(rows.get(0).getAttribute("data-depth")).isEqualTo("0");
    assertThat(rows.get(0).getText()).contains("POST /menus");
    assertThat(rows.get(1).getText()).contains("menu_design.workflow");
    assertThat(rows.get(1).getAttribute("data-depth")).isEqualTo("1");
    assertThat(rows.get(2).getText()).contains("refine.task");
    assertThat(rows.get(3).getAttribute("data-depth")).isEqualTo("3");
    assertThat(rows.get(3).getAttribute("data-llm")).isEqualTo("true");
    assertThat(rows.get(3).getText()).contains("gpt-4o", "1,000→500 tok", "$0.0075");
    assertThat(rows.get(4).getText()).contains("attempt 2");
    assertThat(text("#trace-cost")).isEqualTo("$0.0225");
    assertThat(text("#trace-llm-calls")).isEqualTo("3");
    // Bars sit on a shared time axis: the second attempt starts after the first ends.
    double firstLeft = leftPercent(rows.get(2));
    double secondLeft = leftPercent(rows.get(4));
    assertThat(secondLeft).isGreaterThan(firstLeft);

    rows.get(5).click();
    assertThat(text("#side-title")).contains("chat gpt-4o");
    assertThat(text("#side-attributes")).contains("gen_ai.usage.input_tokens", "2000");
    Browser.screenshot(driver, "trace-waterfall", 1000);
    labelsStayInTheTimeline();
  }

  /**
   * A bar's label never covers the span-name column: the full-width root span carries its label
   * inside the bar (right-aligned, white), a short early span right of its bar, and every label
   * lies inside its row's timeline track, also after the window narrows.
   */
  private static void labelsStayInTheTimeline() {
    List<Map<String, Object>> boxes = labelBoxes();
    assertThat(boxes).hasSize(7).allSatisfy(DashboardBrowserTest::insideTrack);
    Map<String, Object> root = boxes.get(0);
    assertThat((String) root.get("cls")).contains("inside");
    assertThat(number(root.get("labelLeft"))).isGreaterThanOrEqualTo(number(root.get("barLeft")));
    assertThat(number(root.get("labelRight"))).isCloseTo(number(root.get("barRight")), within(1.0));
    assertThat(root.get("color")).isEqualTo("rgb(255, 255, 255)");
    assertThat(root.get("text")).isEqualTo("6.00 s");
    Map<String, Object> refine = boxes.get(2);
    assertThat((String) refine.get("cls")).doesNotContain("inside");
    assertThat(number(refine.get("labelLeft")))
        .isGreaterThanOrEqualTo(number(refine.get("barRight")) - 0.5);

    driver.manage().window().setSize(new org.openqa.selenium.Dimension(900, 1000));
    try {
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(d -> labelBoxes().stream().allMatch(DashboardBrowserTest::fitsTrack));
      assertThat(labelBoxes()).allSatisfy(DashboardBrowserTest::insideTrack);
    } finally {
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(1600, 1000));
    }
  }

  private static boolean fitsTrack(Map<String, Object> box) {
    return number(box.get("labelLeft")) >= number(box.get("trackLeft")) - 0.5
        && number(box.get("labelRight")) <= number(box.get("trackRight")) + 0.5;
  }

  private static void insideTrack(Map<String, Object> box) {
    assertThat(number(box.get("labelWidth"))).as("label width %s", box).isPositive();
    assertThat(number(box.get("labelLeft")))
        .as("label left of %s", box)
        .isGreaterThanOrEqualTo(number(box.get("nameRight")) - 0.5)
        .isGreaterThanOrEqualTo(number(box.get("trackLeft")) - 0.5);
    assertThat(number(box.get("labelRight")))
        .as("label right of %s", box)
        .isLessThanOrEqualTo(number(box.get("trackRight")) + 0.5);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> labelBoxes() {
    return (List<Map<String, Object>>)
        ((JavascriptExecutor) driver)
            .executeScript(
                "return Array.prototype.map.call(document.querySelectorAll('#waterfall .wf-row'),"
                    + " function (row) {"
                    + " var n = row.querySelector('.wf-name').getBoundingClientRect();"
                    + " var t = row.querySelector('.wf-track').getBoundingClientRect();"
                    + " var b = row.querySelector('.wf-bar').getBoundingClientRect();"
                    + " var l = row.querySelector('.wf-label'); var r = l.getBoundingClientRect();"
                    + " return {nameRight: n.right, trackLeft: t.left, trackRight: t.right,"
                    + " barLeft: b.left, barRight: b.right, labelLeft: r.left,"
                    + " labelRight: r.right, labelWidth: r.width, cls: l.className,"
                    + " text: l.textContent, color: getComputedStyle(l).color}; });");
  }

  private static double leftPercent(WebElement row) {
    String style = row.findElement(By.cssSelector(".wf-bar")).getAttribute("style");
    String left = style.replaceAll(".*left:\\s*([0-9.]+)%.*", "$1");
    return Double.parseDouble(left);
  }

  @Test
  void capturedPromptsStayText() throws Exception {
    open("trace/" + KnownTelemetry.TRACE_C);
    WebElement row =
        driver.findElement(
            By.cssSelector("#waterfall .wf-row[data-span='" + Otlp.spanId("c-llm8") + "']"));
    row.click();
    WebElement content =
        driver.findElement(By.cssSelector("pre[data-content='gen_ai.input.messages']"));
    assertThat(content.getText()).contains("<script>window.__xss=1</script>", "<img src=x");
    assertThat(content.findElements(By.xpath(".//*"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("#side-panel script, #side-panel img")))
        .isEmpty();
    Object xss = ((JavascriptExecutor) driver).executeScript("return window.__xss === undefined;");
    assertThat(xss).isEqualTo(Boolean.TRUE);
    Browser.screenshot(driver, "trace-prompt-as-text", 1000);
    // The OpenLLMetry-style call was priced by the console, and the unknown model is marked.
    driver
        .findElement(
            By.cssSelector("#waterfall .wf-row[data-span='" + Otlp.spanId("c-llm7") + "']"))
        .click();
    assertThat(text("#side-attributes")).contains("tokenscope.console.priced");
    driver
        .findElement(
            By.cssSelector("#waterfall .wf-row[data-span='" + Otlp.spanId("c-llm6") + "']"))
        .click();
    assertThat(text("#side-cost")).isEqualTo("unpriced");
  }

  @Test
  void tracesPageSortsByCost() throws Exception {
    open("traces");
    List<WebElement> rows = driver.findElements(By.cssSelector("#traces-table tbody tr"));
    assertThat(rows).hasSize(3);
    driver.findElements(By.cssSelector("#traces-table th")).stream()
        .filter(th -> th.getText().toUpperCase(java.util.Locale.ROOT).startsWith("COST"))
        .findFirst()
        .orElseThrow()
        .click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d ->
                d.findElement(By.cssSelector("#traces-table tbody tr:first-child"))
                    .getAttribute("data-trace")
                    .equals(KnownTelemetry.TRACE_B));
    Browser.screenshot(driver, "traces", 800);
    driver.findElement(By.cssSelector("#traces-table tbody tr:first-child a")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> !d.findElements(By.id("waterfall")).isEmpty());
    assertThat(driver.getCurrentUrl()).contains("/trace/" + KnownTelemetry.TRACE_B);
  }
}
