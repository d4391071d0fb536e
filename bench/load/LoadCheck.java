import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks what a load run left behind, JDK only:
 *
 *   java LoadCheck.java BASE_URL OUTDIR TOKENFILE
 *
 * 1. Reads every OUTDIR/ids-*.txt (ids acknowledged with 201, single or batch item) and OUTDIR/replayed-*.txt (ids
 *    answered 200 to an idempotent replay) that load.lua wrote, and GETs each distinct id with a clinician token from
 *    TOKENFILE (CHECK_THREADS workers, default 8, each with its own clinician token so that one client's rate limit
 *    does not throttle the read-back). A 200 whose body names the id is readable; 429 and 503 are retried after
 *    their Retry-After; anything else is reported. Missing ids are written to OUTDIR/missing.txt.
 * 2. Polls GET /api/v1/audit/verify with the auditor token until events_checked has settled (the background sealer
 *    seals about once a second; the checker's own reads and verify calls are audited too, so "settled" means three
 *    polls in a row in which the count grew by no more than the checker's own verify calls plus one), at most
 *    VERIFY_MAX_SECONDS (30), and requires "intact": true.
 *
 * Exit 0 only if at least one record was acknowledged, every acknowledged record is readable, no id was acknowledged
 * 201 twice (a second creation of one record) and the chain verifies; 1 otherwise; 2 on a usage error.
 * The server's certificate is not checked (a benchmark server's is self-signed).
 */
public class LoadCheck {

  static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public static void main(String[] args) throws Exception {
    // Must be set before the first HttpClient class loads: the self-signed certificate names no host we use.
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    if (args.length != 3) {
      System.err.println("usage: java LoadCheck.java BASE_URL OUTDIR TOKENFILE");
      System.exit(2);
    }
    String base = args[0].replaceAll("/+$", "");
    Path out = Path.of(args[1]);
    Path tokenFile = Path.of(args[2]);
    int workers = intEnv("CHECK_THREADS", 8, 1, 64);
    int verifyMaxSeconds = intEnv("VERIFY_MAX_SECONDS", 30, 1, 3600);

    List<String> clinicians = new ArrayList<>();
    String auditor = null;
    for (String line : Files.readAllLines(tokenFile, StandardCharsets.US_ASCII)) {
      String[] f = line.trim().split(" ");
      if (f.length == 3 && f[0].equals("clinician")) {
        clinicians.add(f[2]);
      } else if (f.length == 3 && f[0].equals("auditor") && auditor == null) {
        auditor = f[2];
      }
    }
    if (clinicians.isEmpty() || auditor == null) {
      System.err.println("check: " + tokenFile + " needs clinician and auditor lines (LoadTokens.java mint)");
      System.exit(2);
    }

    // Acknowledged ids. A 201 id seen twice means the server said "created" twice for one record.
    Set<String> created = new HashSet<>();
    Set<String> toRead = new LinkedHashSet<>();
    long createdLines = 0;
    long duplicates = 0;
    for (Path p : files(out, "ids-*.txt")) {
      for (String id : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
        id = id.trim();
        if (id.isEmpty()) {
          continue;
        }
        createdLines++;
        if (!created.add(id)) {
          duplicates++;
          if (duplicates <= 5) {
            System.out.println("check: id acknowledged 201 more than once: " + id);
          }
        }
        toRead.add(id);
      }
    }
    long replayLines = 0;
    long replayOnly = 0;
    for (Path p : files(out, "replayed-*.txt")) {
      for (String id : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
        id = id.trim();
        if (id.isEmpty()) {
          continue;
        }
        replayLines++;
        // A replay's first answer can have been lost when wrk stopped: its id must be readable all the same.
        if (!created.contains(id) && toRead.add(id)) {
          replayOnly++;
        }
      }
    }
    System.out.printf("check: acknowledged %d ids (%d answered 201, %d answered 200 to a replay, %d of those only "
        + "as a replay), %d distinct%n", createdLines + replayLines, createdLines, replayLines, replayOnly,
        toRead.size());

    HttpClient client = HttpClient.newBuilder()
        .sslContext(trustAll())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();

    // 1. Read every acknowledged record back.
    ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(toRead);
    LongAdder readable = new LongAdder();
    List<String> missing = java.util.Collections.synchronizedList(new ArrayList<>());
    Map<String, LongAdder> problems = new ConcurrentHashMap<>();
    AtomicInteger done = new AtomicInteger();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    for (int w = 0; w < workers; w++) {
      String token = clinicians.get(w % clinicians.size());
      pool.submit(() -> {
        String id;
        while ((id = queue.poll()) != null) {
          String outcome;
          try {
            outcome = UUID.matcher(id).matches() ? read(client, base + "/api/v1/treatments/" + id, token, id)
                : "not a record id";
          } catch (RuntimeException e) { // a pool thread's exception would vanish into its Future
            outcome = "client error: " + e.getClass().getSimpleName();
          }
          if (outcome == null) {
            readable.increment();
          } else {
            missing.add(id);
            problems.computeIfAbsent(outcome, k -> new LongAdder()).increment();
          }
          int n = done.incrementAndGet();
          if (n % 5000 == 0) {
            System.out.printf("check: read %d of %d%n", n, toRead.size());
          }
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(365, TimeUnit.DAYS);
    double readSeconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("check: readable %d of %d (%.1f s, %.0f reads/s), missing or unreadable %d%n",
        readable.sum(), toRead.size(), readSeconds, readSeconds > 0 ? toRead.size() / readSeconds : 0.0,
        missing.size());
    if (!missing.isEmpty()) {
      new TreeMap<>(problems).forEach((k, v) -> System.out.printf("check:   %d x %s%n", v.sum(), k));
      synchronized (missing) {
        missing.stream().limit(10).forEach(id -> System.out.println("check:   e.g. " + id));
        Files.write(out.resolve("missing.txt"), missing, StandardCharsets.US_ASCII);
      }
      System.out.println("check:   all of them in " + out.resolve("missing.txt"));
    }

    // 2. Let the sealer catch up, then judge the chain.
    Verify v = verify(client, base + "/api/v1/audit/verify", auditor, verifyMaxSeconds);

    boolean pass = !toRead.isEmpty() && missing.isEmpty() && duplicates == 0 && v.intact;
    System.out.println("---- treatment load check ----");
    System.out.printf("acknowledged      %d distinct (%d x 201, %d x replay 200)%n", toRead.size(), createdLines,
        replayLines);
    System.out.printf("readable          %d%n", readable.sum());
    System.out.printf("missing/unread    %d%n", missing.size());
    System.out.printf("duplicate 201s    %d%n", duplicates);
    System.out.printf("audit verify      %s%n", v.summary);
    if (toRead.isEmpty()) {
      System.out.println("result            FAIL: nothing was acknowledged (wrong keys, issuer or audience? all "
          + "rate limited?)");
    } else {
      System.out.println("result            " + (pass ? "PASS" : "FAIL"));
    }
    System.exit(pass ? 0 : 1);
  }

  /** GET one record; null when readable, else why not. */
  static String read(HttpClient client, String url, String token, String id) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .timeout(Duration.ofSeconds(30))
        .GET()
        .build();
    String last = "no answer";
    for (int attempt = 1; attempt <= 10; attempt++) {
      try {
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        int s = r.statusCode();
        if (s == 200) {
          return r.body().contains("\"id\":\"" + id + "\"") ? null : "200 naming another id";
        }
        if (s == 429 || s == 503) {
          last = "HTTP " + s + " after retries";
          sleep(retryAfter(r) * 1000L);
          continue;
        }
        return s == 404 ? "HTTP 404 (not found)" : "HTTP " + s;
      } catch (IOException e) {
        last = "I/O error: " + e.getClass().getSimpleName();
        if (attempt >= 3) {
          return last;
        }
        sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
    return last;
  }

  record Verify(boolean intact, String summary) { }

  static final Pattern INTACT = Pattern.compile("\"intact\"\\s*:\\s*(true|false)");
  static final Pattern CHECKED = Pattern.compile("\"events_checked\"\\s*:\\s*(\\d+)");
  static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*(null|\"((?:[^\"\\\\]|\\\\.)*)\")");
  static final Pattern FIRST_BAD = Pattern.compile("\"first_bad_sequence\"\\s*:\\s*(null|-?\\d+)");

  static Verify verify(HttpClient client, String url, String token, int maxSeconds) throws InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .timeout(Duration.ofSeconds(120)) // verify recomputes every sealed hash: slow on a long chain
        .GET()
        .build();
    long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
    List<Long> counts = new ArrayList<>();
    String body = null;
    String error = null;
    int polls = 0;
    while (true) {
      polls++;
      try {
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          body = r.body();
          error = null;
          Matcher intact = INTACT.matcher(body);
          Matcher checked = CHECKED.matcher(body);
          if (!intact.find() || !checked.find()) {
            error = "unexpected verify body: " + abbreviate(body);
          } else {
            long n = Long.parseLong(checked.group(1));
            counts.add(n);
            System.out.printf("check: verify poll %d: intact=%s events_checked=%d%n", polls, intact.group(1), n);
            if (intact.group(1).equals("false")) {
              break; // a broken chain does not mend itself: no point waiting
            }
            if (settled(counts)) {
              break;
            }
          }
        } else if (r.statusCode() == 401 || r.statusCode() == 403) {
          error = "verify answered " + r.statusCode() + " to the auditor token";
          break;
        } else {
          error = "verify answered " + r.statusCode();
          if (r.statusCode() == 429 || r.statusCode() == 503) {
            sleep(retryAfter(r) * 1000L);
          }
        }
      } catch (IOException e) {
        error = "verify failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
      }
      if (System.nanoTime() >= deadline) {
        break;
      }
      Thread.sleep(1000); // about the sealer's interval
    }
    if (body == null || error != null && counts.isEmpty()) {
      return new Verify(false, "FAIL: " + (error != null ? error : "no answer"));
    }
    Matcher intact = INTACT.matcher(body);
    boolean ok = intact.find() && intact.group(1).equals("true");
    Matcher checked = CHECKED.matcher(body);
    Matcher reason = REASON.matcher(body);
    Matcher bad = FIRST_BAD.matcher(body);
    boolean settled = settled(counts);
    String s = (ok ? "intact" : "NOT intact") + ", events_checked " + (checked.find() ? checked.group(1) : "?")
        + (ok ? "" : ", reason " + (reason.find() ? reason.group(1) : "?") + ", first_bad_sequence "
            + (bad.find() ? bad.group(1) : "?"))
        + ", " + polls + " polls" + (ok && !settled ? " (still growing after " + maxSeconds
            + " s: judged on the last answer)" : "")
        + (error != null ? ", last poll: " + error : "");
    return new Verify(ok, s);
  }

  /**
   * events_checked of three polls in a row (two intervals) grew by at most the two verify calls in between (each is
   * audited, and sealed about a second later) plus one for the sealer's timing.
   */
  static boolean settled(List<Long> counts) {
    int k = counts.size();
    return k >= 3 && counts.get(k - 1) - counts.get(k - 3) <= 3;
  }

  static long retryAfter(HttpResponse<?> r) {
    try {
      return Math.max(1, Math.min(10, Long.parseLong(r.headers().firstValue("Retry-After").orElse("1").trim())));
    } catch (NumberFormatException e) {
      return 1; // an HTTP date: not worth parsing for a back-off
    }
  }

  static List<Path> files(Path dir, String glob) throws IOException {
    List<Path> list = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
      s.forEach(list::add);
    }
    list.sort(null);
    return list;
  }

  static SSLContext trustAll() throws Exception {
    TrustManager[] all = {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }};
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, all, new SecureRandom());
    return ctx;
  }

  static int intEnv(String name, int fallback, int min, int max) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    System.err.println("check: " + name + " must be a number from " + min + " to " + max);
    System.exit(2);
    return fallback;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
