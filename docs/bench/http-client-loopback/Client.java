import java.net.*; import java.net.http.*; import java.util.concurrent.*; import java.util.concurrent.atomic.*; import java.lang.management.*;
import org.apache.hc.client5.http.impl.classic.*; import org.apache.hc.client5.http.classic.methods.*; import org.apache.hc.client5.http.impl.io.*; import org.apache.hc.core5.http.io.entity.*; import org.apache.hc.core5.http.ContentType;
public class Client { public static void main(String[] a) throws Exception {
  String kind = a[0]; int threads = 16; int seconds = 10;
  HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  PoolingHttpClientConnectionManager cm = PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(64).setMaxConnPerRoute(64).build();
  CloseableHttpClient hc = HttpClients.custom().setConnectionManager(cm).build();
  String payload = "{\"mode\":\"AttachedSingle\",\"generation\":5,\"secondary_conf\":null,\"shard_number\":0,\"shard_count\":0,\"shard_stripe_size\":32768,\"tenant_conf\":{}}";
  for (int round = 0; round < 2; round++) {
  AtomicLong n = new AtomicLong(); long end = System.nanoTime() + seconds * 1_000_000_000L;
  var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  long cpu0 = os.getProcessCpuTime();
  Thread[] ts = new Thread[threads];
  for (int i = 0; i < threads; i++) { ts[i] = new Thread(() -> { try { while (System.nanoTime() < end) {
    if (kind.equals("jdk")) { HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080/v1/tenant/x/location_config")).timeout(java.time.Duration.ofSeconds(5)).header("Content-Type","application/json").method("PUT", HttpRequest.BodyPublishers.ofString(payload)).build();
      HttpResponse<String> resp = jdk.send(r, HttpResponse.BodyHandlers.ofString()); if (resp.statusCode()!=200) throw new RuntimeException(); }
    else { HttpPut put = new HttpPut("http://127.0.0.1:18080/v1/tenant/x/location_config"); put.setEntity(new StringEntity(payload, ContentType.APPLICATION_JSON));
      String body = hc.execute(put, resp -> EntityUtils.toString(resp.getEntity())); }
    n.incrementAndGet(); } } catch (Exception e) { throw new RuntimeException(e); } }); ts[i].start(); }
  for (Thread t : ts) t.join();
  long cpu = os.getProcessCpuTime() - cpu0;
  System.out.printf("%s round %d: %d req/s, client CPU %.1f us/req%n", kind, round, n.get()/seconds, cpu/1000.0/n.get());
  } System.exit(0); } }
