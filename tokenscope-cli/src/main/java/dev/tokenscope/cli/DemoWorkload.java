package dev.tokenscope.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's workload: menu designs of several cuisines and sizes, recipe generate / compare /
 * batch calls, health checks and some invalid requests, in a shuffled order fixed by the seed.
 */
final class DemoWorkload {

  /** Named sizes: how many requests. */
  static int requests(String size) {
    switch (size.toLowerCase(Locale.ROOT)) {
      case "small":
        return 20;
      case "medium":
        return 40;
      case "large":
        return 100;
      default:
        int n;
        try {
          n = Integer.parseInt(size.strip());
        } catch (NumberFormatException e) {
          throw new ExitCodes.UsageException(
              "--size expects small, medium, large or a number of requests, got '" + size + "'");
        }
        if (n < 1 || n > 10_000) {
          throw new ExitCodes.UsageException(
              "--size must be between 1 and 10000 requests, got " + n);
        }
        return n;
    }
  }

  /**
   * {@code n} requests: a fifth menu designs (2 to 7 courses, sizes in turn), the rest recipe
   * calls, health checks and a tenth invalid requests.
   */
  static List<MenuRequests.Request> plan(int n, long seed) {
    MenuRequests factory = new MenuRequests(seed);
    int menus = Math.max(1, n / 5);
    int invalid = n >= 5 ? Math.max(1, n / 10) : 0;
    int health = n >= 10 ? n / 10 : 0;
    int compare = n >= 5 ? n * 3 / 20 : 0;
    int batch = n >= 10 ? n / 10 : 0;
    int generate = Math.max(0, n - menus - invalid - health - compare - batch);
    List<MenuRequests.Request> out = new ArrayList<>();
    int[] sizes = {3, 5, 2, 7, 4, 6};
    for (int i = 0; i < menus; i++) {
      out.add(factory.menu(sizes[i % sizes.length]));
    }
    add(out, factory, "generate", generate);
    add(out, factory, "compare", compare);
    add(out, factory, "batch", batch);
    add(out, factory, "health", health);
    add(out, factory, "invalid", invalid);
    Collections.shuffle(out, new Random(seed));
    return out.subList(0, Math.min(n, out.size()));
  }

  private static void add(
      List<MenuRequests.Request> out, MenuRequests factory, String kind, int count) {
    for (int i = 0; i < count; i++) {
      out.add(factory.next(kind));
    }
  }

  private DemoWorkload() {}
}
