import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The retrying client and the checker of bench/faults/faults.sh, JDK 17 only (java.net.http, no dependencies).
 *
 *   java FaultClient.java load  BASE_URL OUTDIR TOKENFILE
 *   java FaultClient.java check BASE_URL OUTDIR TOKENFILE
 *
 * TOKENFILE is written by bench/load/LoadTokens.java ("ROLE SUBJECT TOKEN" lines): worker w submits with the w-th
 * device token, for its own machine (the device's subject).
 *
 * load: WORKERS (16) threads; each submits records one at a time, every record under a new Idempotency-Key
 * ("fk-RUN-W-N") and a new patient, and retries the SAME request (same key, same body) on 503, 429, any other 5xx,
 * 404 (Liberty's answer while the WAR starts), connection refused/reset and timeouts until it is answered 201 or 200: 503/429 after their Retry-After, capped at
 * RETRY_AFTER_CAP_MS (3000); connection errors after an exponential back-off (100 ms doubling to 2 s); each attempt
 * waits at most REQUEST_TIMEOUT_SECONDS (35, above the server's 10 s commit timeout). A 4xx other than 429 ends the
 * key ("rejected"). Before a new key, with probability REPLAY_SHARE (0.1) a worker instead re-sends its oldest
 * acknowledged key (at least 2 s old, each once) with the same body: it must be answered 200 with the same id, also
 * across the faults. The run ends when OUTDIR/stop exists (or after MAX_SECONDS, 900): no new keys are started, the
 * key in hand is retried for at most GRACE_SECONDS (60) more. Worker 0's first record is sent alone first: a server
 * that is down or rejects the tokens fails the run at once (exit 2).
 * Files: attempts-W.txt, one line per HTTP attempt
 *   KIND WORKER KEY ATTEMPT SENT_MS DONE_MS STATUS RETRY_AFTER ID
 *   (KIND N = new key, R = replay of an acknowledged key; STATUS an HTTP status or refused/reset/timeout/io; "-" when
 *   absent); results-W.txt, one line per key
 *   KEY WORKER N FIRST_STATUS ID ATTEMPTS N503 N503_WITH_RETRY_AFTER CONNECTION_ERRORS TIMEOUTS OTHER FIRST_SENT_MS ACK_MS
 *   (FIRST_STATUS 201, 200, rejected-NNN or unfinished); replays-W.txt, one line per replay
 *   KEY WORKER N FIRST_ID STATUS ID ATTEMPTS.
 * stdout: one line per second (sent attempts and their outcomes in that second), so an outage shows.
 *
 * check: reads those files, OUTDIR/events.txt (NAME EPOCH_MS lines written by faults.sh) and the database through
 * psql (PGHOST, PGPORT, PGUSER, PGDATABASE from the environment), re-sends the keys that lived through a fault
 * (up to REPLAY_MAX, 2000), reads every stored record back through the API (READ_THREADS clinicians, 8), polls
 * GET /api/v1/audit/verify until it settles (VERIFY_MAX_SECONDS, 60) and prints one PASS/FAIL line per property
 * of scenarios (A), (B) and (C) with the numbers, plus what the server answered during the outage. Exit 0 only if
 * every property passes, 1 otherwise, 2 on a usage error. RECOVERY_MAX_SECONDS (30): how soon after PostgreSQL is
 * back a submission must succeed again.
 *
 * Certificates are not checked (the test server's is self-signed).
 */
public class FaultClient {

  static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public static void main(String[] args) throws Exception {
    // Before the first HttpClient class loads: the self-signed certificate names no host we use.
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    if (args.length != 4 || !(args[0].equals("load") || args[0].equals("check"))) {
      System.err.println("usage: java FaultClient.java load|check BASE_URL OUTDIR TOKENFILE");
      System.exit(2);
    }
    String base = args[1].replaceAll("/+$", "");
    Path out = Path.of(args[2]);
    Tokens tokens = Tokens.read(Path.of(args[3]));
    if (args[0].equals("load")) {
      System.exit(new Load(base, out, tokens).run());
    } else {
      System.exit(new Check(base, out, tokens).run());
    }
  }

  // ------------------------------------------------------------------------------------------------ common

  record Tokens(List<String[]> devices, List<String> clinicians, String auditor) {
    static Tokens read(Path file) throws IOException {
      List<String[]> devices = new ArrayList<>();
      List<String> clinicians = new ArrayList<>();
      String auditor = null;
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        String[] f = line.trim().split(" ");
        if (f.length != 3) {
          continue;
        }
        switch (f[0]) {
          case "device" -> devices.add(new String[] {f[1], f[2]});
          case "clinician" -> clinicians.add(f[2]);
          case "auditor" -> auditor = auditor == null ? f[2] : auditor;
          default -> { }
        }
      }
      if (devices.isEmpty() || clinicians.isEmpty() || auditor == null) {
        System.err.println("faults: " + file + " needs device, clinician and auditor lines (LoadTokens.java mint)");
        System.exit(2);
      }
      return new Tokens(devices, clinicians, auditor);
    }
  }

  static String key(String run, int worker, int n) {
    return "fk-" + run + "-" + worker + "-" + n;
  }

  /** The record of key (worker, n): deterministic, so a retry and a later replay send exactly the same bytes. */
  static String body(String run, int worker, int n, String machine) {
    int day = 1 + n % 28;
    int hour = n % 20;
    int minute = (n * 7) % 60;
    return String.format("{\"patient_id\":\"FP-%s-%d-%d\",\"treatment_start\":\"2025-03-%02dT%02d:%02d:00Z\","
        + "\"treatment_end\":\"2025-03-%02dT%02d:%02d:00Z\",\"uf_volume\":%d.%d,\"conductivity\":13.%d,"
        + "\"machine_id\":\"%s\",\"alarms\":[\"A12\"]}", run, worker, n, day, hour, minute, day, hour + 3, minute,
        1 + n % 3, n % 10, n % 10, machine);
  }

  static HttpClient client() throws Exception {
    return HttpClient.newBuilder()
        .sslContext(trustAll())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** One attempt's outcome: an HTTP status, or a transport error (status 0, error set). */
  record Answer(int status, String error, String retryAfter, String id, long sentMs, long doneMs) {
    String statusText() {
      return status > 0 ? Integer.toString(status) : error;
    }
  }

  static Answer post(HttpClient client, String url, String token, String key, String body, int timeoutSeconds) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", key)
        .timeout(Duration.ofSeconds(timeoutSeconds))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    long sent = System.currentTimeMillis();
    try {
      HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
      sample(r);
      Matcher m = ID.matcher(r.body());
      return new Answer(r.statusCode(), null, r.headers().firstValue("Retry-After").orElse(null),
          m.find() ? m.group(1) : null, sent, System.currentTimeMillis());
    } catch (IOException e) {
      return new Answer(0, classify(e), null, null, sent, System.currentTimeMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "io", null, null, sent, System.currentTimeMillis());
    }
  }

  /** The first answer of each status other than 200/201 is kept for the report (bodies.txt): evidence, no PHI. */
  static final Map<Integer, String> SAMPLES = new java.util.concurrent.ConcurrentHashMap<>();

  static void sample(HttpResponse<String> r) {
    int s = r.statusCode();
    if (s != 200 && s != 201 && !SAMPLES.containsKey(s)) {
      String b = r.body().length() > 400 ? r.body().substring(0, 400) + "..." : r.body();
      SAMPLES.putIfAbsent(s, s + " " + r.headers().map().entrySet().stream()
          .filter(e -> !e.getKey().equalsIgnoreCase("date"))
          .map(e -> e.getKey() + ": " + String.join(",", e.getValue())).sorted().toList()
          + " " + b.replace('\n', ' ').replace('\r', ' '));
    }
  }

  static void writeSamples(Path out) {
    try {
      Files.write(out, new TreeMap<>(SAMPLES).values(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.out.println("faults: cannot write " + out + ": " + e);
    }
  }

  static String classify(IOException e) {
    if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
      return "timeout";
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "refused";
      }
      String m = String.valueOf(c.getMessage()).toLowerCase();
      if (m.contains("reset") || m.contains("closed") || m.contains("eof") || m.contains("no bytes")
          || m.contains("broken pipe")) {
        return "reset";
      }
    }
    return "io";
  }

  static long retryAfterMillis(String header, long capMillis) {
    long ms = 1000;
    if (header != null) {
      try {
        ms = Math.max(0, Long.parseLong(header.trim())) * 1000;
      } catch (NumberFormatException e) {
        ms = 1000; // an HTTP date: not worth parsing for a back-off
      }
    }
    return Math.min(ms, capMillis);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(Math.max(0, ms));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    System.err.println("faults: " + name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    System.exit(2);
    return fallback;
  }

  static double shareEnv(String name, double fallback) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    System.err.println("faults: " + name + " must be a share from 0 to 1, not '" + v + "'");
    System.exit(2);
    return fallback;
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

  static List<Path> files(Path dir, String glob) throws IOException {
    List<Path> list = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
      s.forEach(list::add);
    }
    list.sort(null);
    return list;
  }

  // ------------------------------------------------------------------------------------------------ load

  static final class Load {
    final String base;
    final Path out;
    final Tokens tokens;
    final String run;
    final int workers = intEnv("WORKERS", 16, 1, 256);
    final int maxSeconds = intEnv("MAX_SECONDS", 900, 10, 86_400);
    final int graceSeconds = intEnv("GRACE_SECONDS", 60, 1, 3600);
    final int timeoutSeconds = intEnv("REQUEST_TIMEOUT_SECONDS", 35, 1, 600);
    final long raCapMillis = intEnv("RETRY_AFTER_CAP_MS", 3000, 0, 120_000);
    final double replayShare = shareEnv("REPLAY_SHARE", 0.1);
    final Path stopFile;
    final long startedMs = System.currentTimeMillis();
    volatile boolean stopping;
    volatile long graceDeadlineMs = Long.MAX_VALUE;
    final HttpClient client;

    // Per-second counters (the ticker swaps them out).
    final LongAdder sent = new LongAdder();
    final Map<String, LongAdder> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicLong inFlight = new AtomicLong();

    Load(String base, Path out, Tokens tokens) throws Exception {
      this.base = base;
      this.out = out;
      this.tokens = tokens;
      String r = System.getenv("RUN_ID");
      this.run = r == null || r.isBlank() ? Long.toString(System.currentTimeMillis() / 1000) : r.trim();
      if (!run.matches("[A-Za-z0-9]{1,40}")) {
        System.err.println("faults: RUN_ID must be 1-40 letters or digits");
        System.exit(2);
      }
      if (tokens.devices().size() < workers) {
        System.err.println("faults: " + workers + " workers need as many device tokens, the file has "
            + tokens.devices().size());
        System.exit(2);
      }
      this.stopFile = out.resolve("stop");
      this.client = client();
    }

    /** Outcome of one key's retry loop. */
    static final class KeyResult {
      String status = "unfinished";
      String id = "-";
      int attempts;
      int n503;
      int n503ra;
      int connErrors;
      int timeouts;
      int other;
      long firstSentMs;
      long ackMs;
    }

    int run() throws Exception {
      Files.createDirectories(out);
      System.out.printf("faults: client run %s, %d workers, request timeout %d s, Retry-After cap %d ms, replay "
          + "share %.2f, stop file %s%n", run, workers, timeoutSeconds, raCapMillis, replayShare, stopFile);
      List<Worker> ws = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        ws.add(new Worker(w));
      }
      // Preflight: worker 0's first key alone, a short time.
      KeyResult first = ws.get(0).preflight();
      if (!first.status.equals("201") && !first.status.equals("200")) {
        System.out.println("faults: the first record was answered " + first.status
            + " (server down, or tokens not accepted?): stopping");
        ws.get(0).close();
        return 2;
      }
      Thread ticker = new Thread(this::tick, "ticker");
      ticker.setDaemon(true);
      ticker.start();
      List<Thread> threads = new ArrayList<>();
      for (Worker w : ws) {
        Thread t = new Thread(w, "worker-" + w.index);
        threads.add(t);
        t.start();
      }
      while (!stopping) {
        if (Files.exists(stopFile) || System.currentTimeMillis() - startedMs > maxSeconds * 1000L) {
          graceDeadlineMs = System.currentTimeMillis() + graceSeconds * 1000L;
          stopping = true;
          System.out.println("faults: stop requested: finishing the keys in hand (at most " + graceSeconds + " s)");
          break;
        }
        Thread.sleep(100);
      }
      for (Thread t : threads) {
        t.join();
      }
      Thread.sleep(1100); // the last second's line
      long keys = 0;
      long unfinished = 0;
      for (Worker w : ws) {
        keys += w.keys;
        unfinished += w.unfinished;
      }
      writeSamples(out.resolve("bodies.txt"));
      System.out.printf("faults: client done after %.1f s: %d keys, %d unfinished%n",
          (System.currentTimeMillis() - startedMs) / 1000.0, keys, unfinished);
      return 0;
    }

    void count(String outcome) {
      outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    void tick() {
      long next = startedMs + 1000;
      while (true) {
        sleep(next - System.currentTimeMillis());
        long s = sent.sumThenReset();
        Map<String, Long> snap = new TreeMap<>();
        outcomes.forEach((k, v) -> {
          long n = v.sumThenReset();
          if (n > 0) {
            snap.put(k, n);
          }
        });
        StringBuilder b = new StringBuilder();
        snap.forEach((k, v) -> b.append(' ').append(k).append(':').append(v));
        System.out.printf("faults: +%3ds sent %4d |%s | in flight %d%n", (next - startedMs) / 1000, s,
            b.length() == 0 ? " -" : b.toString(), inFlight.get());
        next += 1000;
      }
    }

    final class Worker implements Runnable {
      final int index;
      final String machine;
      final String token;
      final BufferedWriter attemptsOut;
      final BufferedWriter resultsOut;
      final BufferedWriter replaysOut;
      final ArrayDeque<long[]> acked = new ArrayDeque<>(); // {n, ackMs}
      final Map<Integer, String> ackedIds = new HashMap<>();
      int n;
      long keys;
      long unfinished;

      Worker(int index) throws IOException {
        this.index = index;
        this.machine = tokens.devices().get(index)[0];
        this.token = tokens.devices().get(index)[1];
        this.attemptsOut = Files.newBufferedWriter(out.resolve("attempts-" + index + ".txt"), StandardCharsets.US_ASCII);
        this.resultsOut = Files.newBufferedWriter(out.resolve("results-" + index + ".txt"), StandardCharsets.US_ASCII);
        this.replaysOut = Files.newBufferedWriter(out.resolve("replays-" + index + ".txt"), StandardCharsets.US_ASCII);
      }

      KeyResult preflight() throws IOException {
        long saved = graceDeadlineMs;
        graceDeadlineMs = System.currentTimeMillis() + 30_000; // a server that is not up: give up after 30 s
        KeyResult r = newKey();
        graceDeadlineMs = saved;
        return r;
      }

      @Override
      public void run() {
        try {
          while (!stopping) {
            long[] oldest = acked.peekFirst();
            if (oldest != null && System.currentTimeMillis() - oldest[1] >= 2000
                && ThreadLocalRandom.current().nextDouble() < replayShare) {
              acked.pollFirst();
              replay((int) oldest[0]);
            } else {
              newKey();
            }
          }
        } catch (IOException e) {
          System.out.println("faults: worker " + index + " cannot write its files: " + e);
        } finally {
          close();
        }
      }

      KeyResult newKey() throws IOException {
        int k = n++;
        keys++;
        String key = key(run, index, k);
        KeyResult r = submit("N", key, body(run, index, k, machine));
        resultsOut.write(String.join(" ", key, Integer.toString(index), Integer.toString(k), r.status, r.id,
            Integer.toString(r.attempts), Integer.toString(r.n503), Integer.toString(r.n503ra),
            Integer.toString(r.connErrors), Integer.toString(r.timeouts), Integer.toString(r.other),
            Long.toString(r.firstSentMs), Long.toString(r.ackMs)));
        resultsOut.newLine();
        resultsOut.flush();
        attemptsOut.flush();
        if (r.status.equals("201") || r.status.equals("200")) {
          acked.addLast(new long[] {k, r.ackMs});
          ackedIds.put(k, r.id);
        } else if (r.status.equals("unfinished")) {
          unfinished++;
        }
        return r;
      }

      void replay(int k) throws IOException {
        String key = key(run, index, k);
        KeyResult r = submit("R", key, body(run, index, k, machine));
        replaysOut.write(String.join(" ", key, Integer.toString(index), Integer.toString(k), ackedIds.remove(k),
            r.status, r.id, Integer.toString(r.attempts)));
        replaysOut.newLine();
        replaysOut.flush();
        attemptsOut.flush();
      }

      /** Sends the request until it is answered 201 or 200 (or rejected, or the grace after a stop is over). */
      KeyResult submit(String kind, String key, String body) throws IOException {
        KeyResult r = new KeyResult();
        int consecutiveErrors = 0;
        while (true) {
          if (System.currentTimeMillis() > graceDeadlineMs) {
            return r; // unfinished
          }
          r.attempts++;
          sent.increment();
          inFlight.incrementAndGet();
          Answer a = post(client, base + "/api/v1/treatments", token, key, body, timeoutSeconds);
          inFlight.decrementAndGet();
          if (r.attempts == 1) {
            r.firstSentMs = a.sentMs();
          }
          attemptsOut.write(String.join(" ", kind, Integer.toString(index), key, Integer.toString(r.attempts),
              Long.toString(a.sentMs()), Long.toString(a.doneMs()), a.statusText(),
              a.retryAfter() == null ? "-" : a.retryAfter().trim(), a.id() == null ? "-" : a.id()));
          attemptsOut.newLine();
          int s = a.status();
          count(s == 503 && a.retryAfter() == null ? "503-without-Retry-After" : a.statusText());
          if ((s == 201 || s == 200) && a.id() != null) {
            r.status = Integer.toString(s);
            r.id = a.id();
            r.ackMs = a.doneMs();
            return r;
          }
          if (s == 503 || s == 429) {
            consecutiveErrors = 0;
            if (s == 503) {
              r.n503++;
              if (a.retryAfter() != null) {
                r.n503ra++;
              }
            } else {
              r.other++;
            }
            sleep(retryAfterMillis(a.retryAfter(), raCapMillis) + ThreadLocalRandom.current().nextInt(100));
          } else if (s == 0) {
            if (a.error().equals("timeout")) {
              r.timeouts++;
            } else {
              r.connErrors++;
            }
            consecutiveErrors++;
            sleep(Math.min(2000, 100L << Math.min(5, consecutiveErrors - 1)) + ThreadLocalRandom.current().nextInt(50));
          } else if (s >= 500 || s == 200 || s == 201 || s == 404) {
            // A 5xx, a 2xx without an id, or a 404: POST /api/v1/treatments never answers 404 once the application
            // is up, but Liberty does while it starts (its port opens before the WAR's context root). Retried, counted.
            r.other++;
            sleep(s == 404 ? 1000 : 500);
          } else {
            r.other++;
            r.status = "rejected-" + s;
            return r;
          }
        }
      }

      void close() {
        try {
          attemptsOut.close();
          resultsOut.close();
          replaysOut.close();
        } catch (IOException e) {
          System.out.println("faults: worker " + index + ": " + e);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ check

  static final class Check {
    final String base;
    final Path out;
    final Tokens tokens;
    final int readThreads = intEnv("READ_THREADS", 8, 1, 64);
    final int verifyMaxSeconds = intEnv("VERIFY_MAX_SECONDS", 60, 1, 3600);
    final int replayMax = intEnv("REPLAY_MAX", 2000, 0, 1_000_000);
    final int recoveryMaxSeconds = intEnv("RECOVERY_MAX_SECONDS", 30, 1, 3600);
    final HttpClient client;
    final List<String> lines = new ArrayList<>();
    boolean allPass = true;

    Check(String base, Path out, Tokens tokens) throws Exception {
      this.base = base;
      this.out = out;
      this.tokens = tokens;
      this.client = client();
    }

    record Attempt(String kind, int worker, String key, int n, long sent, long done, String status, String ra,
        String id) { }

    record KeyLine(String key, int worker, int n, String status, String id, int attempts, int n503, int n503ra,
        int conn, int timeouts, int other, long firstSent, long ack) { }

    void result(boolean pass, String property, String numbers) {
      allPass &= pass;
      String line = String.format("%s %s: %s", pass ? "PASS" : "FAIL", property, numbers);
      lines.add(line);
      System.out.println("check: " + line);
    }

    void info(String text) {
      lines.add("     " + text);
      System.out.println("check: " + text);
    }

    int run() throws Exception {
      Map<String, Long> ev = events();
      long pgStop = ev.getOrDefault("pg_stop", -1L);
      long pgDown = ev.getOrDefault("pg_stopped", pgStop);
      long pgStart = ev.getOrDefault("pg_start", -1L);
      long pgReady = ev.getOrDefault("pg_ready", -1L);
      long kill = ev.getOrDefault("server_kill", -1L);
      long restarted = ev.getOrDefault("server_ready_2", -1L);
      long pidBefore = ev.getOrDefault("pid_before_outage", -1L);
      long pidAfter = ev.getOrDefault("pid_after_outage", -2L);
      if (pgStop < 0 || pgReady < 0 || kill < 0 || restarted < 0) {
        System.out.println("check: events.txt lacks pg_stop, pg_ready, server_kill or server_ready_2: "
            + "the fault timeline did not run to its end");
        allPass = false;
      }

      // ---- the client's files
      List<KeyLine> keys = new ArrayList<>();
      for (Path p : files(out, "results-*.txt")) {
        for (String l : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
          String[] f = l.trim().split(" ");
          if (f.length == 13) {
            keys.add(new KeyLine(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], f[4],
                Integer.parseInt(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8]),
                Integer.parseInt(f[9]), Integer.parseInt(f[10]), Long.parseLong(f[11]), Long.parseLong(f[12])));
          }
        }
      }
      List<Attempt> attempts = new ArrayList<>();
      for (Path p : files(out, "attempts-*.txt")) {
        for (String l : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
          String[] f = l.trim().split(" ");
          if (f.length == 9) {
            attempts.add(new Attempt(f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]), f[6], f[7], f[8]));
          }
        }
      }
      List<String[]> replays = new ArrayList<>();
      for (Path p : files(out, "replays-*.txt")) {
        for (String l : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
          String[] f = l.trim().split(" ");
          if (f.length == 7) {
            replays.add(f);
          }
        }
      }
      Map<String, KeyLine> byKey = new LinkedHashMap<>();
      for (KeyLine k : keys) {
        byKey.put(k.key(), k);
      }
      Map<String, KeyLine> ackedKeys = new LinkedHashMap<>();
      for (KeyLine k : keys) {
        if (k.status().equals("201") || k.status().equals("200")) {
          ackedKeys.put(k.key(), k);
        }
      }
      Set<String> ackedIds = new HashSet<>();
      ackedKeys.values().forEach(k -> ackedIds.add(k.id()));
      System.out.printf("check: %d keys, %d acknowledged, %d attempts, %d replays in the load%n", keys.size(),
          ackedKeys.size(), attempts.size(), replays.size());

      // ---- the database
      Map<String, String> rows = new HashMap<>(); // record id -> submitted_by
      for (String[] r : psql("SELECT id, submitted_by FROM treatment_record")) {
        rows.put(r[0], r[1]);
      }
      Map<String, String> keyRows = new HashMap<>(); // client|key -> record id
      Map<String, Integer> recordKeyCount = new HashMap<>();
      long keyRowCount = 0;
      for (String[] r : psql("SELECT client_id, idempotency_key, record_id FROM idempotency_key")) {
        keyRows.put(r[0] + "|" + r[1], r[2]);
        recordKeyCount.merge(r[2], 1, Integer::sum);
        keyRowCount++;
      }
      Map<String, Integer> created = new HashMap<>(); // record id -> 201 treatment.create events
      long createdInOutbox = 0;
      for (String[] r : psql("SELECT record_id, 'sealed' FROM audit_event WHERE action = 'treatment.create' "
          + "AND http_status = 201 UNION ALL SELECT record_id, 'outbox' FROM audit_outbox "
          + "WHERE action = 'treatment.create' AND http_status = 201")) {
        created.merge(r[0], 1, Integer::sum);
        if (r[1].equals("outbox")) {
          createdInOutbox++;
        }
      }
      System.out.printf("check: database: %d treatment_record rows, %d idempotency_key rows, %d 201 create audit "
          + "events (%d still in the outbox)%n", rows.size(), keyRowCount, created.values().stream()
          .mapToInt(Integer::intValue).sum(), createdInOutbox);

      // ---- replays after the run: every key that lived through a fault (more than one attempt), up to REPLAY_MAX
      List<KeyLine> toReplay = new ArrayList<>();
      for (KeyLine k : ackedKeys.values()) {
        if (k.attempts() > 1 && toReplay.size() < replayMax) {
          toReplay.add(k);
        }
      }
      long[] postReplay = replayAfter(toReplay); // {same, different, created, failed}

      // ---- read every stored row back through the API
      Map<String, String> readProblems = readBack(rows.keySet());

      // ---- the audit chain
      Verify v = verify();

      // =========================================================================== (A)
      System.out.println("---- fault check ----");
      long window = 10_000;
      List<KeyLine> aroundOutage = ackedKeys.values().stream()
          .filter(k -> k.ack() >= pgStop - window && k.ack() <= pgReady + window).toList();
      long aroundNoRow = aroundOutage.stream().filter(k -> !rows.containsKey(k.id())).count();
      long aroundNoEvent = aroundOutage.stream().filter(k -> !created.containsKey(k.id())).count();
      result(pgStop > 0 && !aroundOutage.isEmpty() && aroundNoRow == 0 && aroundNoEvent == 0,
          "(A) acknowledged around the outage are stored and audited",
          String.format("%d keys acknowledged from 10 s before PostgreSQL stopped to 10 s after it was back, "
              + "%d without their record, %d without their 201 audit event", aroundOutage.size(), aroundNoRow,
              aroundNoEvent));

      List<Attempt> outage = attempts.stream().filter(a -> a.sent() >= pgStop && a.sent() < pgReady).toList();
      Map<String, Integer> outageStatuses = new TreeMap<>();
      List<Long> lat503 = new ArrayList<>();
      long n503 = 0;
      long n503ra = 0;
      long outageBad = 0;
      for (Attempt a : outage) {
        outageStatuses.merge(a.status(), 1, Integer::sum);
        if (a.status().equals("503")) {
          n503++;
          lat503.add(a.done() - a.sent());
          if (!a.ra().equals("-")) {
            n503ra++;
          }
        } else if (!a.status().equals("201") && !a.status().equals("200")) {
          outageBad++;
        }
      }
      Collections.sort(lat503);
      result(n503 > 0 && n503ra == n503 && outageBad == 0,
          "(A) clients got 503 with Retry-After during the outage",
          String.format("%d attempts sent while PostgreSQL was down (%.1f s): 503 x %d, %d of them with "
              + "Retry-After; %d other answers or transport errors", outage.size(), (pgReady - pgStop) / 1000.0,
              n503, n503ra, outageBad));
      info("outage answers     " + (outageStatuses.isEmpty() ? "none" : outageStatuses.toString()
          .replaceAll("[{}]", "").replace("=", ": ")));
      info(String.format("503 latency ms     p50 %s  p90 %s  max %s  (Retry-After values: %s)",
          pct(lat503, 50), pct(lat503, 90), lat503.isEmpty() ? "-" : lat503.get(lat503.size() - 1),
          outage.stream().filter(a -> a.status().equals("503")).map(Attempt::ra).distinct().sorted().toList()));
      Attempt firstOk = attempts.stream().filter(a -> a.sent() >= pgReady
          && (a.status().equals("201") || a.status().equals("200")) && a.done() < (kill > 0 ? kill : Long.MAX_VALUE))
          .min((x, y) -> Long.compare(x.done(), y.done())).orElse(null);
      double recovery = firstOk == null ? -1 : (firstOk.done() - pgReady) / 1000.0;
      long lastFail = attempts.stream().filter(a -> a.sent() >= pgReady && a.done() < (kill > 0 ? kill : 0)
          && !(a.status().equals("201") || a.status().equals("200"))).mapToLong(Attempt::done).max().orElse(-1);
      result(pidBefore > 0 && pidBefore == pidAfter && firstOk != null && recovery <= recoveryMaxSeconds,
          "(A) the server recovered without a restart",
          String.format("Liberty PID %d before the outage, %s after; first submission sent after PostgreSQL was "
              + "back answered %s %.1f s after it (limit %d s)%s", pidBefore,
              pidAfter < 0 ? "none (the process was gone)" : Long.toString(pidAfter),
              firstOk == null ? "never" : firstOk.status(), recovery, recoveryMaxSeconds,
              lastFail < 0 ? "; no failed answer after that" : String.format("; last failed answer %.1f s after",
                  (lastFail - pgReady) / 1000.0)));
      long committed503 = ackedKeys.values().stream().filter(k -> k.status().equals("200") && k.n503() > 0
          && k.conn() == 0 && k.timeouts() == 0).count();
      info(String.format("keys answered 503 and later replayed (200: an earlier 503'd attempt had committed): %d",
          committed503));

      // =========================================================================== (B)
      long missing = ackedKeys.values().stream().filter(k -> !rows.containsKey(k.id())).count();
      List<KeyLine> beforeKill = ackedKeys.values().stream().filter(k -> k.ack() >= kill - 5000 && k.ack() < kill)
          .toList();
      result(kill > 0 && !ackedKeys.isEmpty() && missing == 0 && !beforeKill.isEmpty()
              && beforeKill.stream().allMatch(k -> rows.containsKey(k.id())),
          "(B) every acknowledged record is present after SIGKILL and restart",
          String.format("%d keys acknowledged (%d x 201, %d x 200 first), %d in the 5 s before the SIGKILL; "
              + "%d without their treatment_record row", ackedKeys.size(),
              ackedKeys.values().stream().filter(k -> k.status().equals("201")).count(),
              ackedKeys.values().stream().filter(k -> k.status().equals("200")).count(), beforeKill.size(),
              missing));
      result(v.intact, "(B) the audit chain verifies", v.summary);
      long rowsNoEvent = rows.keySet().stream().filter(id -> !created.containsKey(id)).count();
      long rowsTwoEvents = created.values().stream().filter(c -> c > 1).count();
      long eventsNoRow = created.keySet().stream().filter(id -> !rows.containsKey(id)).count();
      long rowsNoKey = rows.keySet().stream().filter(id -> !recordKeyCount.containsKey(id)).count();
      long unreadable = readProblems.size();
      result(!rows.isEmpty() && unreadable == 0 && rowsNoEvent == 0 && eventsNoRow == 0 && rowsTwoEvents == 0
              && rowsNoKey == 0,
          "(B) no half-written record",
          String.format("%d rows, %d read back 200 through the API, %d not; %d rows without their 201 audit "
              + "event, %d with more than one, %d 201 audit events without their row, %d rows without their "
              + "idempotency key", rows.size(), rows.size() - unreadable, unreadable, rowsNoEvent, rowsTwoEvents,
              eventsNoRow, rowsNoKey));
      if (unreadable > 0) {
        Map<String, Integer> why = new TreeMap<>();
        readProblems.values().forEach(w -> why.merge(w, 1, Integer::sum));
        info("unreadable rows    " + why);
      }
      Set<String> keysAtKill = new HashSet<>();
      for (Attempt a : attempts) {
        if (a.kind().equals("N") && a.done() >= kill - 200 && a.done() <= kill + 2000
            && (a.status().equals("reset") || a.status().equals("io") || a.status().equals("timeout"))) {
          keysAtKill.add(a.key());
        }
      }
      long killLater200 = keysAtKill.stream().map(byKey::get).filter(k -> k != null && k.status().equals("200"))
          .count();
      long killLater201 = keysAtKill.stream().map(byKey::get).filter(k -> k != null && k.status().equals("201"))
          .count();
      info(String.format("keys in flight at the SIGKILL (answer lost): %d, later answered 200 (had committed): "
          + "%d, 201 (had not): %d", keysAtKill.size(), killLater200, killLater201));
      info(String.format("restart            SIGKILL to ready again %.1f s",
          restarted > 0 && kill > 0 ? (restarted - kill) / 1000.0 : -1.0));
      List<Attempt> notFound = attempts.stream().filter(a -> a.status().equals("404")).toList();
      if (!notFound.isEmpty()) {
        long first404 = notFound.stream().mapToLong(Attempt::done).min().getAsLong();
        long last404 = notFound.stream().mapToLong(Attempt::done).max().getAsLong();
        info(String.format("404 answers        %d to POST /api/v1/treatments, %.1f s to %.1f s after the SIGKILL (ready "
            + "at %.1f s), %d after the restarted server was ready: Liberty answers 404 while the WAR starts "
            + "(retried by this client; see bodies.txt)", notFound.size(), (first404 - kill) / 1000.0,
            (last404 - kill) / 1000.0, (restarted - kill) / 1000.0,
            notFound.stream().filter(a -> a.done() > restarted).count()));
      }

      // =========================================================================== (C)
      long unfinished = keys.stream().filter(k -> k.status().equals("unfinished")).count();
      long rejected = keys.stream().filter(k -> k.status().startsWith("rejected")).count();
      result(!keys.isEmpty() && unfinished == 0 && rejected == 0,
          "(C) every key ends acknowledged",
          String.format("%d keys, %d acknowledged, %d unfinished, %d rejected (4xx)", keys.size(), ackedKeys.size(),
              unfinished, rejected));
      long keyRowMissing = 0;
      long keyRowOtherId = 0;
      for (KeyLine k : ackedKeys.values()) {
        String client = tokens.devices().get(k.worker())[0];
        String rec = keyRows.get(client + "|" + k.key());
        if (rec == null) {
          keyRowMissing++;
        } else if (!rec.equals(k.id())) {
          keyRowOtherId++;
        }
      }
      long distinctIds = ackedIds.size();
      result(!ackedKeys.isEmpty() && keyRowMissing == 0 && keyRowOtherId == 0 && keyRowCount == keys.size()
              && rows.size() == keys.size() && distinctIds == ackedKeys.size(),
          "(C) exactly one record per key",
          String.format("%d keys sent, %d idempotency_key rows, %d treatment_record rows, %d distinct acknowledged "
              + "ids; %d acknowledged keys without their row, %d whose row names another record", keys.size(),
              keyRowCount, rows.size(), distinctIds, keyRowMissing, keyRowOtherId));
      long loadSame = 0;
      long loadDifferent = 0;
      long loadCreated = 0;
      long loadUnfinished = 0;
      for (String[] r : replays) { // KEY WORKER N FIRST_ID STATUS ID ATTEMPTS
        if (r[4].equals("200") && r[5].equals(r[3])) {
          loadSame++;
        } else if (r[4].equals("201")) {
          loadCreated++;
        } else if (r[4].equals("200")) {
          loadDifferent++;
        } else {
          loadUnfinished++;
        }
      }
      long inLoop200 = ackedKeys.values().stream().filter(k -> k.status().equals("200")).count();
      result(loadDifferent == 0 && loadCreated == 0 && loadUnfinished == 0 && postReplay[1] == 0
              && postReplay[2] == 0 && postReplay[3] == 0 && loadSame + postReplay[0] > 0,
          "(C) every replay returned the first acknowledgement's id",
          String.format("in the load %d replays of acknowledged keys: %d x 200 same id, %d other id, %d x 201, "
              + "%d unfinished; after the run %d keys that lived through a fault re-sent: %d x 200 same id, %d "
              + "other id, %d x 201, %d failed", replays.size(), loadSame, loadDifferent, loadCreated,
              loadUnfinished, toReplay.size(), postReplay[0], postReplay[1], postReplay[2], postReplay[3]));
      info(String.format("retries            %d attempts for %d keys and %d replays: %d keys retried, %d first "
          + "acknowledged with 200 (an earlier attempt had committed), 503 x %d, connection errors x %d, "
          + "timeouts x %d", attempts.size(), keys.size(), replays.size(),
          keys.stream().filter(k -> k.attempts() > 1).count(), inLoop200,
          keys.stream().mapToLong(KeyLine::n503).sum(), keys.stream().mapToLong(KeyLine::conn).sum(),
          keys.stream().mapToLong(KeyLine::timeouts).sum()));

      Map<String, Integer> all = new TreeMap<>();
      attempts.forEach(a -> all.merge(a.status(), 1, Integer::sum));
      info("statuses (all)     " + all.toString().replaceAll("[{}]", "").replace("=", ": "));

      Files.write(out.resolve("summary.txt"), lines, StandardCharsets.UTF_8);
      System.out.println("result " + (allPass ? "PASS" : "FAIL"));
      return allPass ? 0 : 1;
    }

    static String pct(List<Long> sorted, int p) {
      if (sorted.isEmpty()) {
        return "-";
      }
      int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return Long.toString(sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))));
    }

    Map<String, Long> events() throws IOException {
      Map<String, Long> ev = new HashMap<>();
      Path f = out.resolve("events.txt");
      if (Files.exists(f)) {
        for (String l : Files.readAllLines(f, StandardCharsets.US_ASCII)) {
          String[] p = l.trim().split(" ");
          if (p.length == 2 && p[1].matches("-?\\d+")) {
            ev.put(p[0], Long.parseLong(p[1]));
          }
        }
      }
      return ev;
    }

    /** Rows of a query through psql (unaligned, space-separated; our values never contain spaces). */
    List<String[]> psql(String sql) throws IOException, InterruptedException {
      ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-q", "-A", "-t", "-F", " ", "-v", "ON_ERROR_STOP=1",
          "-c", sql);
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      List<String[]> rows = new ArrayList<>();
      try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          if (!l.isEmpty()) {
            rows.add(l.split(" ", -1));
          }
        }
      }
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("psql failed for: " + sql);
      }
      return rows;
    }

    /** Re-sends each key with its body: {200 same id, 200 other id, 201, failed}. */
    long[] replayAfter(List<KeyLine> keys) throws InterruptedException {
      LongAdder same = new LongAdder();
      LongAdder other = new LongAdder();
      LongAdder createdAgain = new LongAdder();
      LongAdder failed = new LongAdder();
      String run = keys.isEmpty() ? "" : keys.get(0).key().split("-")[1];
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (KeyLine k : keys) {
        pool.submit(() -> {
          String[] dev = tokens.devices().get(k.worker());
          String body = body(run, k.worker(), k.n(), dev[0]);
          for (int attempt = 1; attempt <= 10; attempt++) {
            Answer a = post(client, base + "/api/v1/treatments", dev[1], k.key(), body, 35);
            if (a.status() == 200) {
              (k.id().equals(a.id()) ? same : other).increment();
              return;
            }
            if (a.status() == 201) {
              createdAgain.increment();
              return;
            }
            if (a.status() != 0 && a.status() != 503 && a.status() != 429) {
              break;
            }
            sleep(retryAfterMillis(a.retryAfter(), 3000));
          }
          failed.increment();
        });
      }
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.MINUTES);
      System.out.printf("check: re-sent %d keys after the run: %d same id, %d other id, %d created again, %d "
          + "failed%n", keys.size(), same.sum(), other.sum(), createdAgain.sum(), failed.sum());
      return new long[] {same.sum(), other.sum(), createdAgain.sum(), failed.sum()};
    }

    /** GET every id with clinician tokens; returns id -> problem for those not readable. */
    Map<String, String> readBack(Set<String> ids) throws InterruptedException {
      ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(ids);
      Map<String, String> problems = new java.util.concurrent.ConcurrentHashMap<>();
      long started = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(readThreads);
      for (int w = 0; w < readThreads; w++) {
        String token = tokens.clinicians().get(w % tokens.clinicians().size());
        pool.submit(() -> {
          String id;
          while ((id = queue.poll()) != null) {
            String problem = UUID.matcher(id).matches() ? read(id, token) : "not a record id";
            if (problem != null) {
              problems.put(id, problem);
            }
          }
        });
      }
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.MINUTES);
      double s = (System.nanoTime() - started) / 1e9;
      System.out.printf("check: read back %d rows through the API in %.1f s: %d not readable%n", ids.size(), s,
          problems.size());
      return problems;
    }

    String read(String id, String token) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/treatments/" + id))
          .header("Authorization", "Bearer " + token)
          .header("Accept", "application/json")
          .timeout(Duration.ofSeconds(30))
          .GET()
          .build();
      String last = "no answer";
      for (int attempt = 1; attempt <= 10; attempt++) {
        try {
          HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return r.body().contains("\"id\":\"" + id + "\"") ? null : "200 naming another id";
          }
          if (r.statusCode() == 429 || r.statusCode() == 503) {
            last = "HTTP " + r.statusCode() + " after retries";
            sleep(retryAfterMillis(r.headers().firstValue("Retry-After").orElse(null), 3000));
            continue;
          }
          return "HTTP " + r.statusCode();
        } catch (IOException e) {
          last = "I/O error " + classify(e);
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
    static final Pattern CHECKPOINTS = Pattern.compile("\"checkpoints_verified\"\\s*:\\s*(\\d+)");

    /**
     * Polls verify until events_checked settles (three polls in a row growing by at most the verify calls' own
     * events plus one; the sealer runs about once a second), at most VERIFY_MAX_SECONDS; judged on the last answer.
     */
    Verify verify() throws InterruptedException {
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/verify"))
          .header("Authorization", "Bearer " + tokens.auditor())
          .header("Accept", "application/json")
          .timeout(Duration.ofSeconds(120))
          .GET()
          .build();
      long deadline = System.nanoTime() + verifyMaxSeconds * 1_000_000_000L;
      List<Long> counts = new ArrayList<>();
      String body = null;
      String error = null;
      int polls = 0;
      while (true) {
        polls++;
        try {
          HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            Matcher intact = INTACT.matcher(r.body());
            Matcher checked = CHECKED.matcher(r.body());
            if (intact.find() && checked.find()) {
              body = r.body();
              error = null;
              counts.add(Long.parseLong(checked.group(1)));
              if (intact.group(1).equals("false")) {
                break;
              }
              int k = counts.size();
              if (k >= 3 && counts.get(k - 1) - counts.get(k - 3) <= 3) {
                break;
              }
            } else {
              error = "unexpected verify body";
            }
          } else {
            error = "verify answered " + r.statusCode();
            if (r.statusCode() == 401 || r.statusCode() == 403) {
              break;
            }
          }
        } catch (IOException e) {
          error = "verify failed: " + classify(e);
        }
        if (System.nanoTime() >= deadline) {
          break;
        }
        Thread.sleep(1000);
      }
      if (body == null) {
        return new Verify(false, error == null ? "no answer" : error);
      }
      Matcher intact = INTACT.matcher(body);
      boolean ok = intact.find() && intact.group(1).equals("true");
      Matcher checked = CHECKED.matcher(body);
      Matcher cps = CHECKPOINTS.matcher(body);
      Matcher reason = REASON.matcher(body);
      Matcher bad = FIRST_BAD.matcher(body);
      String s = (ok ? "intact" : "NOT intact") + ", events_checked " + (checked.find() ? checked.group(1) : "?")
          + ", checkpoints_verified " + (cps.find() ? cps.group(1) : "?")
          + (ok ? "" : ", reason " + (reason.find() ? reason.group(1) : "?") + ", first_bad_sequence "
              + (bad.find() ? bad.group(1) : "?"))
          + ", " + polls + " polls" + (error != null ? ", last poll: " + error : "");
      return new Verify(ok, s);
    }
  }
}
