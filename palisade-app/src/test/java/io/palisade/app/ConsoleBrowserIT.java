package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's chromium, headless, through chromium-driver): an operator signs in,
 * finds a device, quarantines it after confirming, sees the event arrive live on the timeline open in another tab
 * (Server-Sent Events, no reload), and releases it; a viewer sees no action buttons. Every page is checked with
 * axe-core and must have no serious or critical accessibility finding. Screenshots go to
 * {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @TempDir
    Path dir;
    private WebDriver browser;
    private final List<String> accessibilityProblems = new ArrayList<>();
    private final List<String> browserErrors = new ArrayList<>();

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void an_operator_finds_quarantines_and_releases_a_device_and_sees_it_live() throws Exception {
        assertThat(Files.isExecutable(Path.of("/usr/bin/chromedriver")))
                .as("chromium-driver is not installed (./test installs it: apt-get install chromium chromium-driver)")
                .isTrue();
        Path data = dir.resolve("data");
        try (PalisadeProcess palisade = PalisadeProcess.start(data, PalisadeProcess.freePort(),
                PalisadeProcess.freePort())) {
            String[] at = {"--data", data.toString()};
            for (String id : List.of("pump-1", "pump-2", "valve-7")) {
                assertThat(Cli.runAt(at, "device", "add", id, "--profile", id.replaceAll("-.*", ""),
                        "--segment", "plant").exitCode()).isZero();
            }
            String operatorPassword = addOperator(at, "olga", "operator");
            String viewerPassword = addOperator(at, "vera", "viewer");
            String base = "https://127.0.0.1:" + palisade.port;
            browser = startBrowser();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));

            browser.get(base + "/");
            assertThat(browser.getCurrentUrl()).as("no session: to the login page").contains("/login");
            // The browser's log reaches this test (else "no errors in it" below would prove nothing).
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("console.error('palisade-log-probe')");
            assertThat(browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll())
                    .anyMatch(entry -> entry.getMessage().contains("palisade-log-probe"));
            check("login");
            signIn("olga", "wrong password here");
            wait.until(d -> !d.findElements(By.cssSelector(".error")).isEmpty());
            assertThat(browser.findElement(By.cssSelector(".error")).getText()).isEqualTo("Login failed.");
            signIn("olga", operatorPassword);
            wait.until(d -> d.getTitle().startsWith("Fleet"));
            assertThat(rows("table.inventory tbody tr")).hasSize(3);
            check("inventory");

            browser.findElement(By.id("q")).sendKeys("valve");
            browser.findElement(By.cssSelector("form.filters button")).click();
            wait.until(d -> rows("table.inventory tbody tr").size() == 1);
            assertThat(rows("table.inventory tbody tr").get(0).getText()).contains("valve-7");

            // The live timeline in a second tab, filtered to the device.
            String inventoryTab = browser.getWindowHandle();
            browser.switchTo().newWindow(WindowType.TAB);
            browser.get(base + "/timeline?device=valve-7");
            String timelineTab = browser.getWindowHandle();
            wait.until(d -> streamOpen());
            check("timeline");

            browser.switchTo().window(inventoryTab);
            browser.findElement(By.linkText("valve-7")).click();
            wait.until(d -> d.getTitle().startsWith("Device valve-7"));
            check("device");
            browser.findElement(By.linkText("Quarantine")).click();
            wait.until(d -> d.getTitle().startsWith("Quarantine valve-7"));
            check("confirm-quarantine");
            browser.findElement(By.id("reason")).sendKeys("odd Modbus writes");
            browser.findElement(By.cssSelector("form.confirm button")).click();
            wait.until(d -> d.getTitle().startsWith("Device valve-7"));
            assertThat(browser.findElement(By.cssSelector(".notice")).getText())
                    .isEqualTo("Device valve-7 was quarantined.");
            assertThat(browser.findElement(By.id("device-state")).getText()).contains("quarantined");
            screenshot("device-quarantined");

            browser.switchTo().window(timelineTab);
            wait.until(d -> timelineHas("device.quarantined", "odd Modbus writes"));
            screenshot("timeline-live");

            browser.switchTo().window(inventoryTab);
            browser.findElement(By.linkText("Release")).click();
            wait.until(d -> d.getTitle().startsWith("Release valve-7"));
            browser.findElement(By.cssSelector("form.confirm button")).click();
            wait.until(d -> d.findElements(By.cssSelector(".notice")).stream()
                    .anyMatch(n -> n.getText().equals("Device valve-7 was released.")));
            assertThat(browser.findElement(By.id("device-state")).getText()).doesNotContain("quarantined");
            browser.switchTo().window(timelineTab);
            wait.until(d -> timelineHas("device.released", "valve-7"));
            screenshot("timeline-released");
            // The page keeps its newest 500 rows however long it stays open (console.js, on each streamed row).
            Object kept = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "var body = document.getElementById('timeline');"
                            + " for (var i = 0; i < 600; i++) { body.insertRow(0).insertCell(0).textContent = 'old ' + i; }"
                            + " htmx.trigger(body, 'htmx:sseMessage', {});"
                            + " return body.rows.length;");
            assertThat(kept).isEqualTo(500L);
            // Done with the live timeline: close its tab. Left open, its stream would be ended by the server at a
            // keep-alive after the sign-out below (the session is gone), and htmx logs an EventSource's end as a
            // console error, which later steps would collect as theirs (seen once in CI).
            browser.close();

            browser.switchTo().window(inventoryTab);
            for (String page : List.of("detection", "rollouts", "policies", "siem")) {
                browser.get(base + "/" + page);
                check(page);
            }
            browser.get(base + "/audit");
            wait.until(d -> !d.findElements(By.cssSelector(".error")).isEmpty());
            assertThat(browser.findElement(By.cssSelector(".error")).getText())
                    .as("an operator may not read the audit trail").contains("needs the audit permission");

            // A viewer sees the device but no action.
            browser.findElement(By.cssSelector("form.signout button")).click();
            wait.until(d -> d.getCurrentUrl().contains("/login"));
            signIn("vera", viewerPassword);
            wait.until(d -> d.getTitle().startsWith("Fleet"));
            browser.get(base + "/devices/valve-7");
            assertThat(browser.findElements(By.cssSelector("ul.actions a"))).isEmpty();
            screenshot("device-as-viewer");
            collectBrowserErrors("device-as-viewer");

            String events = Cli.runAt(at, "events", "--type", "admin.action", "--json").out();
            List<String> actions = new ArrayList<>();
            for (String line : events.split("\n")) {
                JsonNode event = JSON.readTree(line);
                actions.add(event.path("details").path("actor").asText().replaceAll("@.*", "") + " "
                        + event.path("details").path("path").asText());
            }
            assertThat(actions).as("the console's actions are the API's, recorded with the operator's name")
                    .contains("olga /api/v1/devices/valve-7/quarantine", "olga /api/v1/devices/valve-7/release");
        }
        assertThat(accessibilityProblems).as("serious or critical axe-core findings").isEmpty();
        assertThat(browserErrors).as("errors in the browser's console (CSP violations, script errors)").isEmpty();
    }

    private static WebDriver startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // Headless as root needs --no-sandbox; the instance's CA is not in the browser's store.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        options.setAcceptInsecureCerts(true);
        // The browser's console log: a Content-Security-Policy violation or a script error shows there.
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private void signIn(String name, String password) {
        browser.findElement(By.id("name")).clear();
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form.login button")).click();
    }

    private List<WebElement> rows(String selector) {
        return browser.findElements(By.cssSelector(selector));
    }

    /** Whether htmx's SSE extension has the timeline's event stream open (EventSource.OPEN). */
    private boolean streamOpen() {
        Object state = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "var d = document.getElementById('timeline')['htmx-internal-data'];"
                        + " return d && d.sseEventSource ? d.sseEventSource.readyState : -1;");
        return Long.valueOf(1).equals(state);
    }

    private boolean timelineHas(String type, String text) {
        return rows("#timeline tr").stream().anyMatch(row -> row.getText().contains(type) && row.getText().contains(text));
    }

    /** A screenshot, then axe-core over the page; serious and critical findings are collected. */
    private void check(String name) throws Exception {
        screenshot(name);
        collectBrowserErrors(name);
        Results results = new AxeBuilder().analyze(browser);
        assertThat(results.getPasses()).as("axe-core ran on " + name).isNotEmpty();
        for (Rule violation : results.getViolations()) {
            if ("serious".equals(violation.getImpact()) || "critical".equals(violation.getImpact())) {
                accessibilityProblems.add(name + ": " + violation.getId() + " (" + violation.getImpact() + ") "
                        + violation.getHelp() + " " + violation.getNodes().stream().map(n -> n.getHtml()).toList());
            }
        }
    }

    /** Collects what the browser logged as errors since the last call (the log is read destructively). */
    private void collectBrowserErrors(String page) {
        for (org.openqa.selenium.logging.LogEntry entry : browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)) {
            // The refusals this test provokes on purpose (a wrong password: 401, the audit page: 403) are logged too.
            boolean expected = entry.getMessage().contains("status of 401") || entry.getMessage().contains("status of 403");
            if (entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue() && !expected) {
                browserErrors.add(page + ": " + entry.getMessage());
            }
        }
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }

    private static String addOperator(String[] at, String name, String role) throws Exception {
        Cli.Result added = Cli.runAt(at, "operator", "add", name, "--role", role, "--json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        return JSON.readTree(added.out()).path("password").asText();
    }

}
