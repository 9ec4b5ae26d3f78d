package dev.tokenscope.demo;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.demo.internal.AgentModels;
import dev.tokenscope.demo.internal.KitchenScripts;
import dev.tokenscope.demo.internal.MenuService;
import dev.tokenscope.demo.internal.ProviderClients;
import dev.tokenscope.demo.internal.SdkWarmUp;
import dev.tokenscope.simulator.LlmSimulator;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Restaurant Menu Designer service, embeddable: an HTTP/JSON API ({@code /health}, {@code
 * /recipe/generate}, {@code /recipe/compare}, {@code /recipe/batch}, {@code /menu/design}) whose
 * four agents call OpenAI and Anthropic through the official SDKs, traced with TokenScope. A
 * provider with an API key in the environment ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY};
 * base URLs from {@code OPENAI_BASE_URL}, {@code ANTHROPIC_BASE_URL}) is called for real; for the
 * others an in-process {@link LlmSimulator} plays the agents.
 *
 * <pre>{@code
 * try (TokenScope tokenScope = TokenScope.init();
 *     MenuDesignerApp app = MenuDesignerApp.builder().port(0).start()) {
 *   System.out.println("POST " + app.baseUrl() + "/menu/design");
 * }
 * }</pre>
 *
 * <p>Spans go to the OpenTelemetry given to {@link Builder#openTelemetry} (default: the global one,
 * which {@link TokenScope#init()} registers); structure spans use TokenScope's static API.
 */
public final class MenuDesignerApp implements AutoCloseable {

  /** The reference service's port. */
  public static final int DEFAULT_PORT = 5000;

  /**
   * The JDK's {@code HttpServer} leaves Nagle's algorithm on unless this property is {@code true};
   * with the client's delayed ACK a keep-alive response can then wait ~40 ms. The property is read
   * once, when the JVM's first {@code HttpServer} is created, so it is set here (as the simulator
   * and the console do) unless the user chose: the service does not rely on one of them having been
   * loaded first.
   */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService httpThreads;
  private final ExecutorService workThreads;
  private final ProviderClients clients;
  private final @Nullable LlmSimulator simulator;
  private final String baseUrl;
  private final String providers;
  private boolean closed;

  private MenuDesignerApp(
      HttpServer server,
      ExecutorService httpThreads,
      ExecutorService workThreads,
      ProviderClients clients,
      @Nullable LlmSimulator simulator,
      String baseUrl,
      String providers) {
    this.server = server;
    this.httpThreads = httpThreads;
    this.workThreads = workThreads;
    this.clients = clients;
    this.simulator = simulator;
    this.baseUrl = baseUrl;
    this.providers = providers;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://<host>:<port>}, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The port listened on (the one chosen, when built with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The in-process simulator playing a provider without an API key, or null when none runs. */
  public @Nullable LlmSimulator simulator() {
    return simulator;
  }

  /** Which provider is real and which simulated, for people: {@code "OpenAI: simulator, …"}. */
  public String providers() {
    return providers;
  }

  /** Stops accepting requests, lets running ones finish (up to 5 s), then stops everything. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(1);
    httpThreads.shutdown();
    workThreads.shutdown();
    try {
      httpThreads.awaitTermination(5, TimeUnit.SECONDS);
      workThreads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    httpThreads.shutdownNow();
    workThreads.shutdownNow();
    clients.close();
    if (simulator != null) {
      simulator.close();
    }
  }

  @Override
  public String toString() {
    return "MenuDesignerApp{" + baseUrl + ", " + providers + "}";
  }

  /** Configures a {@link MenuDesignerApp}. Every setting has a working default. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private String host = "127.0.0.1";
    private @Nullable OpenTelemetry openTelemetry;
    private Map<String, String> environment = System.getenv();
    private ProviderClients.@Nullable Endpoint openAi;
    private ProviderClients.@Nullable Endpoint anthropic;
    private double simulatorSpeed = 1;
    private long simulatorSeed = 42;
    private boolean simulatorFaults = true;
    private Consumer<LlmSimulator.Builder> simulatorCustomizer = b -> {};
    private String coordinatorModel = AgentModels.DEFAULTS.coordinator();
    private String chefModel = AgentModels.DEFAULTS.chef();
    private String nutritionistModel = AgentModels.DEFAULTS.nutritionist();
    private String sommelierModel = AgentModels.DEFAULTS.sommelier();
    private String openAiRecipeModel = AgentModels.DEFAULTS.openAiRecipe();
    private String anthropicRecipeModel = AgentModels.DEFAULTS.anthropicRecipe();
    private int courseConcurrency = 6;
    private int workerThreads = 32;
    private int maxBodyBytes = 256 * 1024;

    private Builder() {}

    /** The port (default {@value MenuDesignerApp#DEFAULT_PORT}); 0 picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be within 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** The address to listen on (default {@code 127.0.0.1}; {@code 0.0.0.0} for containers). */
    public Builder host(String host) {
      this.host = requireText(host, "host");
      return this;
    }

    /** Where the HTTP server and SDK spans go (default: the global OpenTelemetry). */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /** The environment read for API keys and base URLs (default: the process's). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** Calls OpenAI at {@code baseUrl} with {@code apiKey}, whatever the environment says. */
    public Builder openAi(String baseUrl, String apiKey) {
      this.openAi =
          new ProviderClients.Endpoint(
              requireText(baseUrl, "baseUrl"), requireText(apiKey, "apiKey"), false);
      return this;
    }

    /** Calls Anthropic at {@code baseUrl} with {@code apiKey}, whatever the environment says. */
    public Builder anthropic(String baseUrl, String apiKey) {
      this.anthropic =
          new ProviderClients.Endpoint(
              requireText(baseUrl, "baseUrl"), requireText(apiKey, "apiKey"), false);
      return this;
    }

    /** The simulator's latency divisor: 1 realistic (default), 10 ten times faster, 0 instant. */
    public Builder simulatorSpeed(double speed) {
      if (!(speed >= 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("speed must be a finite number >= 0, got " + speed);
      }
      this.simulatorSpeed = speed;
      return this;
    }

    /** The simulator's seed (default 42). */
    public Builder simulatorSeed(long seed) {
      this.simulatorSeed = seed;
      return this;
    }

    /** Whether the simulator injects the 429s and 5xx the SDKs retry (default true). */
    public Builder simulatorFaults(boolean faults) {
      this.simulatorFaults = faults;
      return this;
    }

    /**
     * Adjusts the simulator before the agents' scripts are added: script rules added here win over
     * the built-in ones (tests script rejections or failures this way).
     */
    public Builder simulator(Consumer<LlmSimulator.Builder> customizer) {
      this.simulatorCustomizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /** The Menu Coordinator's OpenAI model (default {@code gpt-5-mini}). */
    public Builder coordinatorModel(String model) {
      this.coordinatorModel = requireText(model, "model");
      return this;
    }

    /** The Executive Chef's Anthropic model (default {@code claude-sonnet-4-5-20250929}). */
    public Builder chefModel(String model) {
      this.chefModel = requireText(model, "model");
      return this;
    }

    /** The Nutritionist's Anthropic model (default {@code claude-haiku-4-5-20251001}). */
    public Builder nutritionistModel(String model) {
      this.nutritionistModel = requireText(model, "model");
      return this;
    }

    /** The Sommelier's OpenAI model (default {@code gpt-5-nano}). */
    public Builder sommelierModel(String model) {
      this.sommelierModel = requireText(model, "model");
      return this;
    }

    /**
     * {@code /recipe/*}'s OpenAI model when the request names none (default {@code gpt-5-mini}).
     */
    public Builder openAiRecipeModel(String model) {
      this.openAiRecipeModel = requireText(model, "model");
      return this;
    }

    /** {@code /recipe/*}'s Anthropic model when the request names none (default Sonnet 4.5). */
    public Builder anthropicRecipeModel(String model) {
      this.anthropicRecipeModel = requireText(model, "model");
      return this;
    }

    /** Courses (and batch recipes) one request works on at once (default 6). */
    public Builder courseConcurrency(int courses) {
      if (courses < 1) {
        throw new IllegalArgumentException("courseConcurrency must be at least 1, got " + courses);
      }
      this.courseConcurrency = courses;
      return this;
    }

    /** Threads shared by all requests for concurrent agent work (default 32). */
    public Builder workerThreads(int threads) {
      if (threads < 2) {
        throw new IllegalArgumentException("workerThreads must be at least 2, got " + threads);
      }
      this.workerThreads = threads;
      return this;
    }

    /** Largest accepted request body; larger ones get 413 (default 256 KiB). */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Starts the simulator (when a provider has no key), the SDK clients and the HTTP server.
     *
     * @throws IOException when the port cannot be bound ({@link java.net.BindException} when it is
     *     taken)
     */
    public MenuDesignerApp start() throws IOException {
      OpenTelemetry otel = openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.get();
      ProviderClients.Endpoint openAiEndpoint =
          openAi != null ? openAi : fromEnvironment("OPENAI", "https://api.openai.com/v1");
      ProviderClients.Endpoint anthropicEndpoint =
          anthropic != null ? anthropic : fromEnvironment("ANTHROPIC", "https://api.anthropic.com");
      // Beside the simulator's start (its tokenizers load meanwhile), and done before the server
      // takes its first request, so that request does not pay for it.
      Thread warmUp = SdkWarmUp.start();
      LlmSimulator simulator = null;
      ExecutorService work = null;
      ExecutorService http = null;
      ProviderClients clients = null;
      try {
        if (openAiEndpoint == null || anthropicEndpoint == null) {
          simulator = startSimulator();
          if (openAiEndpoint == null) {
            openAiEndpoint =
                new ProviderClients.Endpoint(simulator.openAiBaseUrl(), "simulated-key", true);
          }
          if (anthropicEndpoint == null) {
            anthropicEndpoint =
                new ProviderClients.Endpoint(simulator.anthropicBaseUrl(), "simulated-key", true);
          }
        }
        clients = ProviderClients.create(otel, openAiEndpoint, anthropicEndpoint);
        work = threads("tokenscope-demo-agents", workerThreads);
        http = threads("tokenscope-demo-http", 16);
        AgentModels models =
            new AgentModels(
                coordinatorModel,
                chefModel,
                nutritionistModel,
                sommelierModel,
                openAiRecipeModel,
                anthropicRecipeModel);
        MenuService service =
            MenuService.create(
                clients, models, TokenScope.propagating(work), courseConcurrency, maxBodyBytes);
        HttpServer server =
            HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 256);
        HttpContext context = server.createContext("/", service.api());
        context.getFilters().add(service.serverSpans(otel));
        server.setExecutor(http);
        awaitWarmUp(warmUp);
        server.start();
        String urlHost = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        if (urlHost.contains(":")) {
          urlHost = "[" + urlHost + "]";
        }
        String description =
            "OpenAI: " + describe(openAiEndpoint) + ", Anthropic: " + describe(anthropicEndpoint);
        return new MenuDesignerApp(
            server,
            http,
            work,
            clients,
            simulator,
            "http://" + urlHost + ":" + server.getAddress().getPort(),
            description);
      } catch (IOException | RuntimeException | Error e) {
        if (http != null) {
          http.shutdownNow();
        }
        if (work != null) {
          work.shutdownNow();
        }
        if (clients != null) {
          clients.close();
        }
        if (simulator != null) {
          simulator.close();
        }
        throw e;
      }
    }

    private static void awaitWarmUp(Thread warmUp) {
      try {
        warmUp.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static String describe(ProviderClients.Endpoint endpoint) {
      return endpoint.simulated() ? "simulator" : endpoint.baseUrl();
    }

    private LlmSimulator startSimulator() {
      LlmSimulator.Builder builder =
          LlmSimulator.builder()
              .seed(simulatorSeed)
              .speed(simulatorSpeed)
              // The SDKs honour retry-after; keep the wait in proportion to the simulated latency.
              // Never 0: the Anthropic SDK ignores a wait that is not positive and sleeps its own
              // 0.5-8 s backoff instead, so speed 0 (tests) asks for 1 ms.
              .retryAfter(
                  Duration.ofMillis(
                      simulatorSpeed == 0 ? 1 : (long) Math.max(10, 250 / simulatorSpeed)));
      simulatorCustomizer.accept(builder);
      KitchenScripts.install(builder, simulatorSeed);
      if (simulatorFaults) {
        KitchenScripts.installFaults(builder);
      }
      return builder.build().start();
    }

    private ProviderClients.@Nullable Endpoint fromEnvironment(String prefix, String defaultUrl) {
      String key = environment.get(prefix + "_API_KEY");
      if (key == null || key.isBlank()) {
        return null;
      }
      String url = environment.get(prefix + "_BASE_URL");
      return new ProviderClients.Endpoint(
          url == null || url.isBlank() ? defaultUrl : url.strip(), key.strip(), false);
    }

    private static ExecutorService threads(String name, int count) {
      AtomicInteger n = new AtomicInteger();
      ThreadFactory factory =
          r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          };
      return new ThreadPoolExecutor(
          count, count, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    }

    private static String requireText(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value.strip();
    }
  }
}
